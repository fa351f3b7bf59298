package dev.confday.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Runs after every other test class ({@link ContractCoverageLast}): every operation with a JSON
 * body had a real request or response checked against its schema by {@link ContractCheck}
 * during the suite. Run alone it has nothing to judge and is skipped.
 */
class OpenApiCoverageTest {
  @Test
  void everyOperationWithAJsonBodyWasCheckedAgainstRealTraffic() {
    Set<String> exercised = ContractCheck.exercised();
    assumeTrue(exercised.size() > 10, "run with the API tests (mvn verify): only " + exercised.size()
        + " operations were exercised in this run");
    Set<String> missing = new TreeSet<>(ContractCheck.instance().operationsWithJsonBodies());
    missing.removeAll(exercised);
    assertThat(missing).as("operations whose JSON bodies no test exchanged").isEmpty();
  }
}
