/**
 * Scenario files and launch configurations: the scenario records, the loader that validates a file
 * and reports every problem with its place (a trace workload's file and a model's HuggingFace
 * config.json included, line by line), the reader of launch blocks (the shell's words and
 * variables, then {@code sglang.launch_server}'s flags as SGLang 0.4.8.post1's argparse reads them),
 * the flag table of that release and the flags of other releases (tab-separated resources beside
 * these classes), SGLang 0.4.8.post1's server-argument rules and silent adjustments, and the memory an instance
 * sets up at start-up (a layout SGLang would not start is refused here).
 * It depends on {@code scenario.yaml} for reading YAML with positions, on {@code model} for the
 * named models, the model record a config.json fills, and hardware, and on {@code diag}; nothing in it knows how a scenario is run.
 */
package dev.pdsim.scenario;
