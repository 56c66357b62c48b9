/** The {@code googlenet} command line. */
module googlenet.cli {
    requires googlenet.engine;
    requires googlenet.kernels;
    requires info.picocli;
    requires jdk.management;
    requires java.desktop;
    requires jdk.httpserver;
    opens googlenet.cli to info.picocli;
}
