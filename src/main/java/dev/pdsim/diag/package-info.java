/**
 * Diagnostics of user input: a problem with its place ({@code file:line:column}), the list of all
 * problems of a file reported at once, the one exception that carries them to the command line
 * (exit code 2), "did you mean" suggestions, and numbers written the way a user reads them. It
 * depends on no other pdsim package, so every package may report a problem or format a number.
 */
package dev.pdsim.diag;
