package googlenet.spark;

import googlenet.engine.Model;
import googlenet.engine.Session;
import googlenet.engine.image.Classifier;

import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * One compiled model of an executor JVM, shared by its tasks, with a pool of sessions per batch size: a task borrows
 * one (made and warmed up on first need) and gives it back, so that an executor holds at most one session per
 * concurrent task and batch size.
 */
final class SharedModel {
    private final Model model;
    private final Classifier classifier;
    private final Map<Integer, Deque<Session>> idle = new ConcurrentHashMap<>();

    SharedModel(Model model, Classifier classifier) {
        this.model = model;
        this.classifier = classifier;
    }

    Classifier classifier() {
        return classifier;
    }

    Session borrow(int batch) {
        Deque<Session> sessions = idle.computeIfAbsent(batch, b -> {
            model.warmUp(b);
            return new ConcurrentLinkedDeque<>();
        });
        Session s = sessions.pollFirst();
        return s != null ? s : model.newSession(batch);
    }

    void giveBack(Session s) {
        idle.get(s.inputShape().dim(0)).addFirst(s);
    }

    void close() {
        model.close();
    }
}
