package dev.confday.http;

import java.util.Comparator;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/** Keeps JUnit's default class order but runs {@link OpenApiCoverageTest} last (see junit-platform.properties). */
public final class ContractCoverageLast implements ClassOrderer {
  @Override
  public void orderClasses(ClassOrdererContext context) {
    context.getClassDescriptors().sort(Comparator.comparing(
        (ClassDescriptor d) -> d.getTestClass() == OpenApiCoverageTest.class));
  }
}
