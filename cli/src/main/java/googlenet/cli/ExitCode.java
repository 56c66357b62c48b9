package googlenet.cli;

/** The exit codes every command shares. */
final class ExitCode {
    static final int OK = 0;
    static final int INTERNAL_ERROR = 1;
    static final int BAD_INPUT = 2;
    static final int NON_FINITE = 3;

    private ExitCode() {
    }
}
