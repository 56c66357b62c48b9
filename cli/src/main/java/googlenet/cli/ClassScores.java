package googlenet.cli;

import googlenet.engine.Probabilities;
import googlenet.engine.ScoredClass;
import googlenet.engine.TopK;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One image's output to its top classes, and those as JSON entries (shared by {@code classify} and {@code serve}). */
final class ClassScores {
    private ClassScores() {
    }

    /**
     * The top {@code k} of the {@code classes} scores at {@code from} in {@code y}: the model's own probabilities when it
     * ends in Softmax, else softmax of its logits.
     */
    static List<ScoredClass> top(float[] y, int from, int classes, boolean modelHasSoftmax, int k) {
        float[] p = modelHasSoftmax ? Arrays.copyOfRange(y, from, from + classes) : Probabilities.softmax(y, from, classes);
        return TopK.of(p, k);
    }

    static String label(List<String> names, int index) {
        return names == null ? null : names.get(index);
    }

    /** {@code [{"index", "label", "probability"}]}; the label is null without names. */
    static List<Map<String, Object>> json(List<ScoredClass> top, List<String> names) {
        List<Map<String, Object>> entries = new ArrayList<>();
        for (ScoredClass s : top) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("index", s.index());
            entry.put("label", label(names, s.index()));
            entry.put("probability", s.score());
            entries.add(entry);
        }
        return entries;
    }
}
