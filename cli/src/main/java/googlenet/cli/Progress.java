package googlenet.cli;

import java.io.PrintWriter;

/** A one-line progress bar on stderr, redrawn in place; silent when stderr is not a terminal. */
final class Progress {
    private final PrintWriter err;
    private final boolean terminal = System.console() != null;
    private int lastPercent = -1;

    Progress(PrintWriter err) {
        this.err = err;
    }

    void message(String text) {
        if (!terminal) return;
        err.print("\r" + text + "\033[K");
        err.flush();
    }

    void step(int done, int total) {
        if (!terminal) return;
        int percent = (int) (100L * done / total);
        if (percent == lastPercent) return;
        lastPercent = percent;
        int width = 30;
        int filled = width * done / total;
        err.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total + "\033[K");
        err.flush();
    }

    void done() {
        if (!terminal) return;
        err.print("\r\033[K");
        err.flush();
    }
}
