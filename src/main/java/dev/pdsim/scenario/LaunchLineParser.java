package dev.pdsim.scenario;

import dev.pdsim.diag.Problems;
import dev.pdsim.diag.Quote;
import dev.pdsim.diag.SourceLocation;
import dev.pdsim.diag.Suggestions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a launch block the way a user pastes it from a runbook: {@code VAR=value} and
 * {@code export VAR=value} lines, then one {@code python3 -m sglang.launch_server} command with
 * leading environment assignments, whose flags are read as SGLang 0.4.8.post1's argparse reads
 * them ({@code srt/server_args.py:1679-1681}: {@code --flag value}, {@code --flag=value}, unique
 * prefixes, lists, the last of a repeated flag wins) and a shell tail such as
 * {@code > /prefill.log 2>&1 &}. Variables come from the scenario's {@code vars:} and the
 * assignments above the command. Problems are collected with the file position of the offending word.
 */
public final class LaunchLineParser {

    /** Maps a (line, column) inside the launch text, both 0-based, to its place in the file. */
    @FunctionalInterface
    public interface TextOrigin {
        SourceLocation locate(int line, int column);
    }

    private static final Pattern ASSIGNMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*", Pattern.DOTALL);
    private static final Pattern PYTHON = Pattern.compile("(.*/)?python[0-9.]*");
    private static final Pattern REDIRECT = Pattern.compile("[0-9]*(>>?|<)(&[0-9]+)?");
    /** argparse takes these as values, not options, because no option of the parser looks like a number. */
    private static final ShellWord LINE_BREAK = ShellWord.operator("\n", 0, 0, ShellWord.Type.END);
    private static final Pattern NEGATIVE_NUMBER = Pattern.compile("-\\d+|-\\d*\\.\\d+");

    private final TextOrigin origin;
    private final Problems problems;
    private final Map<String, String> variables;

    private LaunchLineParser(Map<String, String> vars, TextOrigin origin, Problems problems) {
        this.origin = origin;
        this.problems = problems;
        this.variables = new LinkedHashMap<>(vars);
    }

    /**
     * Parses {@code text} with the values of {@code vars} for its variables; problems go to
     * {@code problems}, and what could be read is returned.
     */
    public static LaunchCommand parse(String text, Map<String, String> vars, TextOrigin origin, Problems problems) {
        return new LaunchLineParser(vars, origin, problems).parse(text);
    }

    private LaunchCommand parse(String text) {
        int before = problems.list().size();
        List<EnvAssignment> exported = new ArrayList<>();
        LaunchCommand launch = null;
        for (List<ShellWord> command : commands(ShellWords.split(text, origin, problems))) {
            ShellWord first = command.get(0);
            if (first.type() == ShellWord.Type.WORD && expand(first).equals("export")) {
                export(command, exported);
            } else if (command.stream().allMatch(this::isAssignment)) {
                command.forEach(w -> variables.put(name(w), value(w)));
            } else if (launchStart(fields(command)) < 0) {
                int i = 0;
                while (i < command.size() - 1 && isAssignment(command.get(i))) {
                    i++;
                }
                problems.add(at(command.get(i)), "expected 'python3 -m sglang.launch_server' after the environment "
                        + "assignments, got " + Quote.of(expand(command.get(i))) + " (a launch block holds VAR=value and "
                        + "export lines and one launch command)");
            } else if (launch != null) {
                problems.add(at(first), "a second sglang.launch_server command; an instance has one launch command");
            } else {
                launch = launch(fields(command), exported);
            }
        }
        if (launch == null && problems.list().size() == before) {
            problems.add(origin.locate(0, 0), "expected 'python3 -m sglang.launch_server', got nothing");
        }
        return launch != null ? launch : new LaunchCommand(List.copyOf(exported), List.of(), List.of());
    }

    /**
     * The commands of the text, split at line breaks and {@code ;}, {@code &&}, {@code ||}. A line
     * that starts with a flag continues the command above it even without a backslash, as a
     * runbook pasted into YAML often loses them.
     */
    private List<List<ShellWord>> commands(List<ShellWord> words) {
        List<List<ShellWord>> commands = new ArrayList<>();
        List<ShellWord> current = new ArrayList<>();
        boolean separated = false;
        boolean onlyLineBreaks = true;
        for (ShellWord w : words) {
            if (w.type() == ShellWord.Type.END) {
                separated = true;
                onlyLineBreaks &= w.parts().equals(LINE_BREAK.parts());
                continue;
            }
            boolean continues = onlyLineBreaks && expand(w).startsWith("--");
            if (separated && !continues && !current.isEmpty()) {
                commands.add(current);
                current = new ArrayList<>();
            }
            separated = false;
            onlyLineBreaks = true;
            current.add(w);
        }
        if (!current.isEmpty()) {
            commands.add(current);
        }
        return commands;
    }

    /** {@code export A=1 B}: each assignment sets a variable and goes to the launch's environment. */
    private void export(List<ShellWord> command, List<EnvAssignment> exported) {
        for (ShellWord w : command.subList(1, command.size())) {
            if (isAssignment(w)) {
                variables.put(name(w), value(w));
                exported.add(new EnvAssignment(name(w), value(w), at(w)));
            } else if (w.type() == ShellWord.Type.WORD && variables.containsKey(expand(w))) {
                exported.add(new EnvAssignment(expand(w), variables.get(expand(w)), at(w)));
            } else if (w.type() != ShellWord.Type.WORD || !expand(w).matches("[A-Za-z_][A-Za-z0-9_]*")) {
                problems.add(at(w), "export takes NAME=value or NAME, got " + Quote.of(expand(w)));
            }
        }
    }

    /** The index of the first flag of a launch command, or -1 when {@code command} is not one. */
    private int launchStart(List<ShellWord> command) {
        int i = 0;
        while (i < command.size() && isAssignment(command.get(i))) {
            i++;
        }
        while (i < command.size() && List.of("env", "nohup").contains(expand(command.get(i)))) {
            i++;
            while (i < command.size() && isAssignment(command.get(i))) {
                i++;
            }
        }
        boolean launch = i + 2 < command.size() && PYTHON.matcher(expand(command.get(i))).matches()
                && expand(command.get(i + 1)).equals("-m") && expand(command.get(i + 2)).equals("sglang.launch_server");
        return launch ? i + 3 : -1;
    }

    private LaunchCommand launch(List<ShellWord> command, List<EnvAssignment> exported) {
        List<EnvAssignment> env = new ArrayList<>(exported);
        List<String> decorations = new ArrayList<>();
        int start = launchStart(command);
        for (int i = 0; i < start - 3; i++) {
            ShellWord w = command.get(i);
            if (isAssignment(w)) {
                env.add(new EnvAssignment(name(w), value(w), at(w)));
            } else {
                decorations.add(expand(w));
            }
        }
        List<FlagValue> flags = new ArrayList<>();
        int i = start;
        while (i < command.size()) {
            ShellWord w = command.get(i);
            if (w.type() == ShellWord.Type.OPERATOR) {
                i = readShellTail(command, i, decorations);
            } else if (!looksLikeOption(expand(w))) {
                problems.add(at(w), unrecognized(expand(w)));
                i++;
            } else {
                i = readFlag(command, i, flags);
            }
        }
        if (flags.stream().noneMatch(f -> f.flag().name().equals("model-path"))) {
            // The one required argument of add_cli_args (srt/server_args.py:565-570): argparse exits without it.
            problems.add(at(command.get(start - 3)), "the launch command has no --model-path (or --model), which "
                    + "sglang.launch_server requires");
        }
        return new LaunchCommand(List.copyOf(env), List.copyOf(flags), List.copyOf(decorations));
    }

    /** Reads the flag at {@code i} with its values; returns the index after them. */
    private int readFlag(List<ShellWord> words, int i, List<FlagValue> flags) {
        ShellWord w = words.get(i++);
        String option = expand(w);
        String inline = null;
        int eq = option.indexOf('=');
        if (option.startsWith("--") && eq >= 0) {
            inline = option.substring(eq + 1);
            option = option.substring(0, eq);
        }
        OptionMatch match = ServerFlags.match(option);
        if (match.flag() == null) {
            unknownFlag(w, match);
            while (inline == null && i < words.size() && isValue(words.get(i))) {
                i++; // its values, so they are not reported again
            }
            return i;
        }
        ServerFlag f = match.flag();
        if (f.type() == FlagType.BOOLEAN) {
            if (inline != null) {
                problems.add(at(w), f.option() + " is a switch and takes no value (got '" + inline
                        + "'; argparse: ignored explicit argument)");
            } else {
                flags.add(new FlagValue(f, "true", at(w), true));
            }
            return i;
        }
        if (inline != null) {
            ShellWord.Expansion e = w.expand(variables);
            flags.add(checked(f, inline, at(w), e.unset()));
            return i;
        }
        int first = i;
        while (i < words.size() && isValue(words.get(i)) && (f.arity().isList() || i == first)) {
            i++;
        }
        if (i == first && f.arity() != FlagArity.ANY) {
            problems.add(at(w), f.option() + " expects " + (f.arity() == FlagArity.ONE ? "a value" : "one or more values"));
            return i;
        }
        List<String> texts = new ArrayList<>();
        List<String> unset = new ArrayList<>();
        for (ShellWord v : words.subList(first, i)) {
            ShellWord.Expansion e = v.expand(variables);
            e.problems().forEach(p -> problems.add(at(v), p));
            texts.add(e.text());
            unset.addAll(e.unset());
        }
        flags.add(checked(f, String.join(" ", texts), at(i == first ? w : words.get(first)), unset));
        return i;
    }

    /** A value with unknown parts is fine for a flag pdsim does not compute with; for one it does, it is a problem. */
    private FlagValue checked(ServerFlag f, String text, SourceLocation where, List<String> unset) {
        if (!unset.isEmpty() && f.simulated()) {
            String what = unset.get(0);
            problems.add(where, f.option() + " " + text + ": " + (what.startsWith("$") || what.startsWith("`")
                    ? what + " is a command pdsim does not run; write the value, or a variable set under vars:"
                    : "variable " + what + " has no value; set it under vars: or assign it above the launch command"));
        }
        return new FlagValue(f, text, where, true, List.copyOf(unset));
    }

    private void unknownFlag(ShellWord w, OptionMatch match) {
        String option = match.option();
        String version = OtherVersionFlags.hint(option).map(h -> "; " + h).orElse("");
        if (match.ambiguous()) {
            problems.add(at(w), "ambiguous option " + option + " could match " + String.join(", ", match.candidates())
                    + " (SGLang 0.4.8.post1's argparse refuses it)" + version);
        } else if (!version.isEmpty()) {
            problems.add(at(w), option + " is not a flag of SGLang 0.4.8.post1" + version);
        } else {
            String hint = Suggestions.closest(option, ServerFlags.options()).map(n -> " (did you mean " + n + "?)")
                    .orElse("");
            problems.add(at(w), "unknown flag " + option + hint);
        }
    }

    /** Accepts redirections ({@code > file}, {@code 2>&1}), a pipe into {@code tee} and a final {@code &}. */
    private int readShellTail(List<ShellWord> words, int i, List<String> decorations) {
        String op = expand(words.get(i));
        if (op.equals("&")) {
            decorations.add("&");
            if (i + 1 < words.size()) {
                problems.add(at(words.get(i + 1)), "only one command per launch line; found more after '&'");
                return words.size();
            }
            return i + 1;
        }
        if (op.equals("|") && i + 1 < words.size() && expand(words.get(i + 1)).equals("tee")) {
            StringBuilder tee = new StringBuilder("|");
            for (ShellWord w : words.subList(i + 1, words.size())) {
                tee.append(' ').append(expand(w));
            }
            decorations.add(tee.toString());
            return words.size();
        }
        if (REDIRECT.matcher(op).matches()) {
            if (op.contains("&")) {
                decorations.add(op);
                return i + 1;
            }
            if (i + 1 < words.size() && words.get(i + 1).type() == ShellWord.Type.WORD) {
                decorations.add(op + " " + expand(words.get(i + 1)));
                return i + 2;
            }
            problems.add(at(words.get(i)), "redirection " + Quote.of(op) + " needs a file name");
            return i + 1;
        }
        problems.add(at(words.get(i)), "shell operator " + Quote.of(op) + " is not supported on a launch line "
                + "(accepted: VAR=value prefixes, redirections, | tee, a trailing &)");
        return words.size();
    }

    /** A word argparse takes as a value: not an operator and not option-like (negative numbers are values). */
    private boolean isValue(ShellWord w) {
        return w.type() == ShellWord.Type.WORD && !looksLikeOption(expand(w));
    }

    /**
     * argparse's {@code _parse_optional}: a word starting with '-' is an option unless it is a
     * negative number or, naming no option exactly, by its part before '=', or as a prefix, it has
     * a blank inside; those are values (positionals) (CPython 3.11 Lib/argparse.py:2229-2285, the
     * blank test at :2280).
     */
    private static boolean looksLikeOption(String text) {
        if (!text.startsWith("-") || text.length() == 1 || NEGATIVE_NUMBER.matcher(text).matches()) {
            return false;
        }
        if (!text.contains(" ")) {
            return true;
        }
        int eq = text.indexOf('=');
        OptionMatch match = ServerFlags.match(eq >= 0 ? text.substring(0, eq) : text);
        return match.flag() != null || match.ambiguous();
    }

    /**
     * A value where an option was due. argparse reports them together as {@code unrecognized
     * arguments}; a word that starts with '-' but has a blank inside (a quoted {@code "--tp 16"}) is
     * one of them, as {@code _parse_optional} returns None for it.
     */
    private static String unrecognized(String text) {
        if (text.startsWith("-") && text.contains(" ")) {
            return "unrecognized arguments: " + Quote.escape(text) + " (argparse reads one word with a blank inside as a value, "
                    + "not as an option: the quotes join it; write it unquoted)";
        }
        return "unrecognized argument " + Quote.of(text) + " (sglang.launch_server takes only --flags)";
    }

    private boolean isAssignment(ShellWord w) {
        return w.type() == ShellWord.Type.WORD && w.parts().get(0) instanceof ShellWord.Text t
                && ASSIGNMENT.matcher(t.text()).matches();
    }

    private static String name(ShellWord assignment) {
        String head = ((ShellWord.Text) assignment.parts().get(0)).text();
        return head.substring(0, head.indexOf('='));
    }

    private String value(ShellWord assignment) {
        String all = expand(assignment);
        return all.substring(all.indexOf('=') + 1);
    }

    /** The command's words after splitting unquoted variables ({@code $COMMON_ARGS}) at blanks. */
    private List<ShellWord> fields(List<ShellWord> command) {
        return command.stream().flatMap(w -> w.fields(variables).stream()).toList();
    }

    private String expand(ShellWord w) {
        return w.expand(variables).text();
    }

    private SourceLocation at(ShellWord w) {
        return origin.locate(w.line(), w.column());
    }
}
