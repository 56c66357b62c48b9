package googlenet.engine;

/** One class of a classifier's output and its score (a logit or a probability). */
public record ScoredClass(int index, float score) {
}
