package googlenet.cli;

import googlenet.graph.GraphException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * {@code googlenet}: exit code 0 on success, 1 on an internal error, 2 on a usage error or bad input,
 * 3 on non-finite output under {@code --check-finite}. Errors are one line on stderr; {@code --verbose}
 * adds the stack trace.
 */
@Command(name = "googlenet", mixinStandardHelpOptions = true, addMethodSubcommands = false, version = "googlenet 0.1.0",
        description = "GoogLeNet inference on the JVM: Vector API kernels, FFM arenas.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:internal error", "2:usage error or bad input",
                "3:non-finite output (with --check-finite)"})
public final class Main implements Runnable {
    /** The subcommands, in the order help lists them. */
    private static final List<String> COMMANDS = List.of("demo", "walk", "summary", "info", "bench", "export", "graph",
            "plan", "run", "classify", "eval", "serve", "help");

    private static Object command(String name) {
        return switch (name) {
            case "demo" -> new DemoCommand();
            case "walk" -> new WalkCommand();
            case "summary" -> new SummaryCommand();
            case "info" -> new InfoCommand();
            case "bench" -> new BenchCommand();
            case "export" -> new ExportCommand();
            case "graph" -> new GraphCommand();
            case "plan" -> new PlanCommand();
            case "run" -> new RunCommand();
            case "classify" -> new ClassifyCommand();
            case "eval" -> new EvalCommand();
            case "serve" -> new ServeCommand();
            case "help" -> new CommandLine.HelpCommand();
            default -> throw new IllegalArgumentException(name);
        };
    }

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line in-process, printing to the given writers; returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        // Only the command asked for is built (picocli reads each command's annotations when it is added: all thirteen
        // took 0.3 s of a one-shot run's start); every one for help, a mistyped name, or none.
        String asked = null;
        for (String a : args) {
            if (!a.startsWith("-")) {
                asked = a;
                break;
            }
        }
        boolean all = asked == null || !COMMANDS.contains(asked) || asked.equals("help");
        for (String name : COMMANDS) {
            if (all || name.equals(asked)) cl.addSubcommand(name, command(name));
        }
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((e, a) -> {
            CommandLine c = e.getCommandLine();
            err.println(c.getCommandName() + ": " + e.getMessage() + " (see '" + c.getCommandSpec().qualifiedName() + " --help')");
            return ExitCode.BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            boolean verbose = parsed.matchedOption("--verbose") != null
                    || parsed.subcommands().stream().anyMatch(p -> p.matchedOption("--verbose") != null);
            int code = isBadInput(e) ? ExitCode.BAD_INPUT : ExitCode.INTERNAL_ERROR;
            String message = message(e instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : e);
            err.println(c.getCommandName() + ": " + (code == ExitCode.INTERNAL_ERROR ? "internal error: " + e + (verbose ? "" : " (--verbose shows where)") : message));
            if (verbose) e.printStackTrace(err);
            err.flush();
            return code;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * A one-line message for an error: a file system error says what happened to which file (Java's own messages for
     * these are only the path).
     */
    static String message(Throwable e) {
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return switch (e) {
            case java.nio.file.NoSuchFileException f -> "no such file: " + f.getFile();
            case java.nio.file.AccessDeniedException f -> "permission denied: " + f.getFile();
            case java.nio.file.NotDirectoryException f -> "not a folder: " + f.getFile();
            case java.nio.file.DirectoryNotEmptyException f -> "folder not empty: " + f.getFile();
            case java.nio.file.FileSystemException f when f.getReason() == null && f.getFile() != null ->
                    f.getClass().getSimpleName().replace("Exception", "") + ": " + f.getFile();
            default -> text;
        };
    }

    private static boolean isBadInput(Exception e) {
        return e instanceof GraphException || e instanceof IOException || e instanceof UncheckedIOException
                || e instanceof IllegalArgumentException || e instanceof BadInputException;
    }
}
