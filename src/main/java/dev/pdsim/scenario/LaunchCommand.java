package dev.pdsim.scenario;

import java.util.List;

/**
 * A parsed {@code python3 -m sglang.launch_server ...} line: its environment assignments, its flags
 * (in the order written; argparse keeps the last of a repeated flag, so does the resolver) and the
 * shell decorations that pdsim accepts and ignores (redirections, a trailing {@code &}).
 */
public record LaunchCommand(List<EnvAssignment> environment, List<FlagValue> flags, List<String> shellDecorations) {
}
