package dev.pdsim.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.util.Arrays;
import org.apache.commons.math3.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RandomStreamsTest {

    private static final int DRAWS = 1_000;

    private static long[] draw(RandomGenerator rng) {
        long[] values = new long[DRAWS];
        for (int i = 0; i < DRAWS; i++) {
            values[i] = rng.nextLong();
        }
        return values;
    }

    @Test
    void sameSeedAndNameGiveTheSameDraws() {
        assertArrayEquals(draw(new RandomStreams(42).stream("arrivals")),
                draw(new RandomStreams(42).stream("arrivals")));
    }

    @Test
    void differentNamesGiveDifferentDraws() {
        RandomStreams streams = new RandomStreams(42);
        assertFalse(Arrays.equals(draw(streams.stream("arrivals")), draw(streams.stream("service"))));
        assertFalse(Arrays.equals(draw(streams.stream("a")), draw(streams.stream("b"))));
    }

    @Test
    void differentSeedsGiveDifferentDraws() {
        assertFalse(Arrays.equals(draw(new RandomStreams(1).stream("arrivals")),
                draw(new RandomStreams(2).stream("arrivals"))));
    }

    @Test
    void addingAStreamDoesNotChangeAnExistingStreamsDraws() {
        long[] alone = draw(new RandomStreams(42).stream("arrivals"));

        RandomStreams crowded = new RandomStreams(42);
        RandomGenerator newcomer = crowded.stream("newcomer");
        RandomGenerator service = crowded.stream("service");
        newcomer.nextLong();
        service.nextDouble();
        long[] amongOthers = draw(crowded.stream("arrivals"));

        assertArrayEquals(alone, amongOthers);
    }

    @Test
    void askingTwiceForOneNameGivesIndependentGeneratorsFromTheSameStart() {
        RandomStreams streams = new RandomStreams(42);
        RandomGenerator first = streams.stream("arrivals");
        long[] firstDraws = draw(first);
        RandomGenerator second = streams.stream("arrivals");

        assertNotSame(first, second);
        assertArrayEquals(firstDraws, draw(second));
    }

    @Test
    void seedIsKept() {
        assertEquals(-5, new RandomStreams(-5).seed());
    }

    @Test
    void nameHashIsFnv1a64OverUtf8() {
        // Published FNV-1a 64-bit test vectors, plus a non-ASCII name.
        assertEquals(0xcbf29ce484222325L, RandomStreams.fnv1a64(""));
        assertEquals(0xaf63dc4c8601ec8cL, RandomStreams.fnv1a64("a"));
        assertEquals(0x85944171f73967e8L, RandomStreams.fnv1a64("foobar"));
        assertEquals(RandomStreams.fnv1a64("\u00e9"), fnv1aOfBytes(new byte[] {(byte) 0xc3, (byte) 0xa9}));
    }

    @Test
    void drawsAreStableAcrossVersions() {
        // Pinned so that a change to the seed derivation, which would silently change every
        // simulation result, fails here instead.
        assertEquals(PINNED_FIRST_DRAW, new RandomStreams(42).stream("arrivals").nextLong());
    }

    private static final long PINNED_FIRST_DRAW = 7239744080562810517L;

    private static long fnv1aOfBytes(byte[] bytes) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        return hash;
    }
}
