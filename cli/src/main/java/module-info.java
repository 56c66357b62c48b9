/** The {@code googlenet} command line. */
module googlenet.cli {
    requires googlenet.engine;
    requires info.picocli;
    requires jdk.management;
    requires java.desktop;
    opens googlenet.cli to info.picocli;
}
