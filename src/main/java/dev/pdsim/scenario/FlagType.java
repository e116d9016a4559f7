package dev.pdsim.scenario;

/**
 * How a server flag's value is written: argparse {@code store_true}, an {@code int}, a
 * {@code float}, a {@code str}, or a {@code str} restricted to {@code choices}.
 */
public enum FlagType {
    BOOLEAN, INTEGER, DECIMAL, TEXT, CHOICE
}
