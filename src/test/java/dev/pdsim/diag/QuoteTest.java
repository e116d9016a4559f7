package dev.pdsim.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class QuoteTest {
    @Test
    void escapesControlCharactersSoAValueCannotForgeALineOrReachTheTerminal() {
        assertEquals("'a\\nb.yaml:1:1: x'", Quote.of("a\nb.yaml:1:1: x"));
        assertEquals("'\\x1b[31mred'", Quote.of("\u001b[31mred"));
        assertEquals("'a\\0b\\tc\\r'", Quote.of("a\0b\tc\r"));
        assertEquals("'\\u202eevil'", Quote.of("\u202eevil"), "a bidirectional override reorders the line");
        assertEquals("'deepseek-rı'", Quote.of("deepseek-rı"), "printable letters stay");
    }

    @Test
    void cutsLongValuesAndSaysHowLongTheyWere() {
        String quoted = Quote.of("a".repeat(1 << 20));
        assertEquals("'" + "a".repeat(Quote.MAX_SHOWN) + "...' (1048576 chars)", quoted);
        assertEquals("'" + "b".repeat(Quote.MAX_SHOWN) + "'", Quote.of("b".repeat(Quote.MAX_SHOWN)));
    }

    @Test
    void aProblemIsAlwaysOneLine() {
        Problem p = new Problem(new SourceLocation("f.yaml", 3, 4), "bad value\nf.yaml:1:1: forged " + "x".repeat(5000));
        assertFalse(p.toString().contains("\n"));
        assertEquals(true, p.toString().endsWith("(" + ("bad value\\nf.yaml:1:1: forged ".length() + 5000) + " chars)"));
    }
}
