package dev.pdsim.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The seconds columns of requests.csv: nanosecond-exact, nine decimals, empty when unset. */
class RequestCsvWriterTest {
    @Test
    void secondsHaveNineDecimalsWithLeadingZeros() {
        assertEquals("0.000000000", RequestCsvWriter.s(0));
        assertEquals("0.000000005", RequestCsvWriter.s(5));
        assertEquals("0.000000010", RequestCsvWriter.s(10));
        assertEquals("0.100000000", RequestCsvWriter.s(100_000_000));
        assertEquals("0.999999999", RequestCsvWriter.s(999_999_999));
        assertEquals("1.000000000", RequestCsvWriter.s(1_000_000_000));
        assertEquals("3841.012345678", RequestCsvWriter.s(3_841_012_345_678L));
    }

    @Test
    void unsetTimesAreEmpty() {
        assertEquals("", RequestCsvWriter.s(-1));
    }

    @Test
    void secondsAreTheExactDecimalOfTheNanoseconds() {
        Random rnd = new Random(3);
        for (int i = 0; i < 2000; i++) {
            long ns = rnd.nextInt(5) == 0 ? rnd.nextInt(1000) : Math.abs(rnd.nextLong() % 10_000_000_000_000L);
            assertEquals(BigDecimal.valueOf(ns, 9).toPlainString(), RequestCsvWriter.s(ns), Long.toString(ns));
        }
    }
}
