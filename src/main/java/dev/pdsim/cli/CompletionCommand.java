package dev.pdsim.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "completion", mixinStandardHelpOptions = true, header = "Print a shell completion script for pdsim.",
        description = {"Print the completion script of a shell for every pdsim command, option and choice (strategies,",
                "fidelities). Bash: source <(./pdsim completion bash), or save it as /etc/bash_completion.d/pdsim.",
                "Zsh reads the same script after 'autoload -U bashcompinit && bashcompinit'."})
final class CompletionCommand extends CommandBase {
    /** The shells picocli's AutoComplete writes a script for (zsh runs the bash one through bashcompinit). */
    enum Shell { bash }

    @Parameters(paramLabel = "SHELL", description = "The shell: ${COMPLETION-CANDIDATES}.")
    Shell shell;

    @Override
    public Integer call() {
        out().print(AutoComplete.bash("pdsim", spec.root().commandLine()));
        out().flush();
        return 0;
    }
}
