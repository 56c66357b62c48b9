package googlenet.cli;

import googlenet.engine.ScoredClass;
import googlenet.engine.image.Classifier;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An image's top classes as JSON entries (shared by {@code classify} and {@code serve}). */
final class ClassScores {
    private ClassScores() {
    }

    /** {@code [{"index", "label", "probability"}]}; the label is null without names. */
    static List<Map<String, Object>> json(List<ScoredClass> top, Classifier classifier) {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (ScoredClass s : top) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("index", s.index());
            entry.put("label", classifier.label(s.index()));
            entry.put("probability", s.score());
            entries.add(entry);
        }
        return entries;
    }
}
