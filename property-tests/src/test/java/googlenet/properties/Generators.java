package googlenet.properties;

import org.quicktheories.core.Gen;

/** Small generators shared by the properties. */
final class Generators {
    private Generators() {
    }

    /** true / false; shrinks to false. Printed as "exact" or "float" (the mode it selects). */
    static Gen<Boolean> booleans() {
        Gen<Boolean> g = in -> new Draw(in).bool();
        return g.describedAs(b -> b ? "exact mode" : "float mode");
    }
}
