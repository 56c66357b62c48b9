package googlenet.engine.diagnostics;

import java.io.IOException;
import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.constantpool.StringEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The string constants of the classes a run executes, interned ahead of the JIT, so that a late compilation allocates
 * nothing on the thread that runs.
 *
 * <p>HotSpot resolves every string constant of a class (error messages, concatenation recipes) on the thread that first
 * asks C2 to compile one of its methods, creating each {@code String} not yet in the JVM's string table. Code that a run
 * calls once or a few times (the session's step loop, the output unpacking, the input packing, the JDK's copy between an
 * array and a segment) reaches that point tens to hundreds of runs after warm-up, and that run then allocated 56 B to
 * 1 KB (d2l, 2026-12-03). With the constants interned first, the resolution finds them in the table.
 *
 * <p>The classes are found by following class references in the class files, from the plan's kernels and the session,
 * within the engine's and the kernels' packages and the JDK packages a run reaches besides the Vector API (whose
 * classes C2 compiles during warm-up, as the kernels inline them). The string table holds its entries weakly: the
 * returned list must stay referenced as long as the runs it protects.
 */
public final class InternedConstants {
    /** Our packages whose classes a run executes: the API's (Session), the runtime's and the kernels'. */
    private static final Set<String> ENGINE = Set.of("googlenet/engine", "googlenet/engine/runtime");
    private static final String KERNELS = "googlenet/kernels";
    /** JDK packages a run executes: memory segments, and the worker pool's atomics and parking. */
    private static final Set<String> JDK_PACKAGES = Set.of("java/lang/foreign", "jdk/internal/foreign",
            "java/util/concurrent/atomic", "java/util/concurrent/locks");

    private InternedConstants() {
    }

    /**
     * Interns the string constants of the given classes and of every class they reach in the packages above; returns
     * the interned strings. A class file that cannot be read is skipped: this only spares allocations.
     */
    public static List<String> reachableFrom(Collection<Class<?>> roots) {
        ClassLoader loader = InternedConstants.class.getClassLoader();
        ArrayDeque<String> pending = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        for (Class<?> c : roots) {
            String name = c.getName().replace('.', '/');
            if (seen.add(name)) pending.add(name);
        }
        List<String> interned = new ArrayList<>();
        while (!pending.isEmpty()) {
            String name = pending.poll();
            byte[] bytes = classFile(loader, name);
            if (bytes == null) continue;
            for (PoolEntry e : parse(bytes)) {
                if (e instanceof StringEntry s) {
                    interned.add(s.stringValue().intern());
                } else if (e instanceof ClassEntry c) {
                    String target = c.asInternalName();
                    if (followed(target) && seen.add(target)) pending.add(target);
                }
            }
        }
        return List.copyOf(interned);
    }

    private static boolean followed(String internalName) {
        int slash = internalName.lastIndexOf('/');
        if (slash < 0 || internalName.startsWith("[")) return false;
        String pkg = internalName.substring(0, slash);
        return JDK_PACKAGES.contains(pkg) || ENGINE.contains(pkg) || pkg.equals(KERNELS) || pkg.startsWith(KERNELS + "/");
    }

    private static Iterable<PoolEntry> parse(byte[] bytes) {
        try {
            return ClassFile.of().parse(bytes).constantPool();
        } catch (IllegalArgumentException e) { // not a class file this JDK can read
            return List.of();
        }
    }

    private static byte[] classFile(ClassLoader loader, String internalName) {
        String resource = internalName + ".class"; // class files are readable in every module, open or not
        try (InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource)
                : loader.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }
}
