package googlenet.graph.op;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Output sizes against PyTorch's documented formula, worked by hand. */
class WindowsTest {
    @Test
    void floorMode() {
        assertEquals(112, Windows.outputSize(224, 7, 2, 3, 3, 1, false)); // (224 + 6 - 7) / 2 + 1 = 111 + 1
        assertEquals(3, Windows.outputSize(7, 3, 2, 0, 0, 1, false));     // (7 - 3) / 2 + 1
        assertEquals(4, Windows.outputSize(8, 3, 1, 0, 0, 2, false));     // dilation 2: span 5 → (8 - 5) + 1
    }

    @Test
    void ceilModeRoundsUpButNeverStartsAWindowInTheTrailingPadding() {
        assertEquals(56, Windows.outputSize(112, 3, 2, 0, 0, 1, true));   // ceil(109 / 2) + 1 = 55 + 1
        assertEquals(3, Windows.outputSize(5, 2, 2, 1, 1, 1, true));      // ceil(5 / 2) + 1 = 4, but window 4 starts at 6 ≥ 5 + 1
        assertEquals(7, Windows.outputSize(14, 2, 2, 0, 0, 1, true));
        assertEquals(3, Windows.outputSize(6, 3, 2, 0, 1, 1, true));      // pad end 1: ceil((6 + 1 - 3) / 2) + 1 = 3
    }

    @Test
    void asymmetricPads() {
        // Caffe2's converted pools: pads [0, 0, 1, 1], kernel 3, stride 2, floor mode on 112: (112 + 1 - 3) / 2 + 1 = 56
        assertEquals(56, Windows.outputSize(112, 3, 2, 0, 1, 1, false));
    }
}
