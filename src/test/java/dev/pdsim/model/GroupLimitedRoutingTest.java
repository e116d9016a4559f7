package dev.pdsim.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GroupLimitedRoutingTest {
    private static final ModelSpec V3 = ModelSpec.DEEPSEEK_V3; // 8 groups, 4 kept, top-8

    @Test
    void oneNodeIsAlwaysReached() {
        assertEquals(1.0, GroupLimitedRouting.placesReached(V3, 1));
    }

    @Test
    void eightNodesOfOneGroupEachGiveDeepSeeksFourNodeLimit() {
        // Each node holds one group and a token keeps 4 groups: exactly 4 nodes (DeepSeek-V3's M = 4).
        assertEquals(4.0, GroupLimitedRouting.placesReached(V3, 8), 1e-12);
    }

    @Test
    void fourNodesOfTwoGroupsEach() {
        // A node is missed only when all 4 kept groups are among the other 6: C(6,4)/C(8,4) = 15/70.
        assertEquals(4 * (1 - 15.0 / 70), GroupLimitedRouting.placesReached(V3, 4), 1e-12);
    }

    @Test
    void gpusOfAGroupShareItsExperts() {
        // EP32: a group's 32 experts sit on 4 GPUs, so the 8 experts land among 16 reachable GPUs.
        assertEquals(16 * (1 - Math.pow(15.0 / 16, 8)), GroupLimitedRouting.placesReached(V3, 32), 1e-12);
    }

    @Test
    void neverMorePlacesThanExpertsAndNeverFewerWithMorePlaces() {
        double previous = 0;
        for (int places = 1; places <= 512; places++) {
            double reached = GroupLimitedRouting.placesReached(V3, places);
            assertTrue(reached <= V3.topK() + 1e-9, places + " places: " + reached);
            assertTrue(reached <= places + 1e-9, places + " places: " + reached);
            if (V3.expertGroups() % places == 0 || places % V3.expertGroups() == 0) {
                assertTrue(reached >= previous - 1e-9, places + " places: " + reached + " < " + previous);
                previous = reached;
            }
        }
    }
}
