package dev.pdsim.scenario;

/** How a server flag's value is written: argparse {@code store_true}, a number, or text. */
public enum FlagType {
    BOOLEAN, INTEGER, DECIMAL, TEXT, CHOICE
}
