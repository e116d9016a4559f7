#!/usr/bin/env python3
"""Writes the synthetic trace that scenarios/trace-replay.yaml replays, in both formats pdsim reads.

Run from this folder: python3 generate.py   (Python 3.8+, standard library only; same bytes every run)

The traffic is made up, not taken from any published trace: 400 requests over about a minute,
Poisson arrivals at 6.5 requests/s. Each prompt starts with one of 8 shared system prompts of 2048
tokens (4 blocks of 512), chosen with weights 1/(g+1) so a few are popular, followed by the
request's own text (log-normal, median 900 tokens). Outputs are uniform in 64..512 tokens.

- synthetic.jsonl: Mooncake's format. timestamp in ms, input_length, output_length, hash_ids: the
  ids of the prompt's 512-token blocks; group g's system prompt is blocks 4g..4g+3, and every
  block after it gets a fresh id (never shared).
- synthetic.csv: arrival_s,input_len,output_len,prefix_group. pdsim cuts group g's prefix of
  2048 tokens (the scenario's prefix.length) into the same blocks, so both files describe the
  same prompts.
"""
import math
import random

SEED = 14
REQUESTS = 400
RATE_PER_S = 6.5
GROUPS = 8
PREFIX_BLOCKS = 4
BLOCK = 512
OWN_MEDIAN = 900
OWN_SIGMA = 0.7


def main():
    rng = random.Random(SEED)
    weights = [1.0 / (g + 1) for g in range(GROUPS)]
    next_own_block = GROUPS * PREFIX_BLOCKS
    t_ms = 0
    jsonl, csv = [], ["arrival_s,input_len,output_len,prefix_group"]
    for _ in range(REQUESTS):
        group = rng.choices(range(GROUPS), weights)[0]
        own = max(16, min(8000, round(OWN_MEDIAN * math.exp(OWN_SIGMA * rng.gauss(0, 1)))))
        output = rng.randint(64, 512)
        input_len = PREFIX_BLOCKS * BLOCK + own
        own_blocks = math.ceil(own / BLOCK)
        ids = list(range(group * PREFIX_BLOCKS, (group + 1) * PREFIX_BLOCKS))
        ids += range(next_own_block, next_own_block + own_blocks)
        next_own_block += own_blocks
        jsonl.append('{"timestamp": %d, "input_length": %d, "output_length": %d, "hash_ids": [%s]}'
                     % (t_ms, input_len, output, ", ".join(map(str, ids))))
        csv.append("%.3f,%d,%d,%d" % (t_ms / 1000, input_len, output, group))
        t_ms += max(1, round(rng.expovariate(RATE_PER_S) * 1000))
    with open("synthetic.jsonl", "w", newline="\n") as f:
        f.write("\n".join(jsonl) + "\n")
    with open("synthetic.csv", "w", newline="\n") as f:
        f.write("\n".join(csv) + "\n")


if __name__ == "__main__":
    main()
