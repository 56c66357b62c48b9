package googlenet.engine.onnx;

import googlenet.engine.reference.ReferenceInterpreter;
import googlenet.graph.Graph;
import googlenet.graph.GraphException;
import googlenet.graph.Tensor;
import googlenet.graph.onnx.OnnxImporter;
import googlenet.graph.onnx.OnnxTensorFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ONNX's own operator test cases for the ops GoogLeNet networks use, made by {@code tools/make_onnx_op_cases.py}:
 * each case the index expects to pass gives ONNX's expected output on the reference interpreter and on the compiled
 * engine (within 1e-5·max|y| + 1e-6); each case it expects to be refused fails at import or compile with an error
 * naming the node, its op and the reason, so a refusal that starts "passing" fails here as much as a lost case does.
 */
class OnnxOperatorCasesTest {
    /** One line of index.tsv. */
    record Case(String name, String op, String node, int opset, boolean pass, String refusal) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Path cases() {
        try {
            var url = OnnxOperatorCasesTest.class.getResource("/onnx-op-cases/index.tsv");
            if (url == null) throw new AssertionError("missing test resource onnx-op-cases/index.tsv");
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    static List<Case> index() {
        try (Stream<String> lines = Files.lines(cases().resolve("index.tsv"))) {
            return lines.filter(l -> !l.startsWith("#") && !l.isBlank()).map(l -> {
                String[] f = l.split("\t", -1);
                if (f.length != 6 || !Set.of("pass", "refuse").contains(f[4])) throw new AssertionError("bad index line: " + l);
                return new Case(f[0], f[1], f[2], Integer.parseInt(f[3]), f[4].equals("pass"), f[5]);
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Graph load(Case c) throws IOException {
        return OnnxImporter.load(cases().resolve(c.name()).resolve("model.onnx"));
    }

    @ParameterizedTest
    @MethodSource("index")
    void caseGivesOnnxOutputOrIsRefusedAsIndexed(Case c) throws Exception {
        Path dir = cases().resolve(c.name());
        Tensor x = OnnxTensorFile.read(dir.resolve("input_0.pb"));
        Tensor expected = OnnxTensorFile.read(dir.resolve("output_0.pb"));
        if (c.pass()) {
            Graph graph = load(c);
            OnnxImportParityTest.assertClose(c.name() + ": reference interpreter vs ONNX", expected, ReferenceInterpreter.run(graph, x));
            OnnxImportParityTest.assertClose(c.name() + ": compiled engine vs ONNX", expected, OnnxImportParityTest.runEngine(graph, x));
        } else {
            GraphException e = assertThrows(GraphException.class, () -> OnnxImportParityTest.runEngine(load(c), x),
                    c.name() + " should be refused: " + c.refusal());
            for (String part : List.of("model.onnx", "node '" + c.node() + "' (" + c.op() + ")", c.refusal())) {
                assertTrue(e.getMessage().contains(part), "'" + e.getMessage() + "' should contain '" + part + "'");
            }
        }
    }

    @Test
    void indexListsEveryCaseFolder() throws IOException {
        Set<String> folders;
        try (Stream<Path> s = Files.list(cases())) {
            folders = s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(folders, index().stream().map(Case::name).collect(Collectors.toCollection(TreeSet::new)));
    }
}
