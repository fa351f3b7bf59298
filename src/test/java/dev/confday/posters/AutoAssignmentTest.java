package dev.confday.posters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.confday.http.ApiError;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AutoAssignmentTest {
  private static Poster poster(int number, String track) {
    return new Poster(100 + number, 1, number, "Poster " + number, null, track, List.of(), null, false);
  }

  private static List<Board> boards(int n) {
    List<Board> list = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      list.add(new Board(i, 1, "B" + i, i, 0, 1, 1, i));
    }
    return list;
  }

  @Test
  void tracksFollowTheirLowestNumberAndPostersTheirNumbers() {
    List<Poster> posters = List.of(poster(5, "Stars"), poster(2, "Galaxies"), poster(9, "Galaxies"),
        poster(1, "Stars"), poster(7, null), poster(3, "galaxies "));
    List<Assignment> plan = AutoAssignment.plan("s", posters, boards(8), List.of());
    // Stars (lowest 1): 1, 5; Galaxies (lowest 2, case and spaces ignored): 2, 3, 9; no track: 7
    assertThat(plan.stream().map(a -> (int) (a.posterId() - 100)).toList()).containsExactly(1, 5, 2, 3, 9, 7);
    assertThat(plan.stream().map(Assignment::boardId).toList()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
  }

  @Test
  void namedTracksComeFirstInTheGivenOrder() {
    List<Poster> posters = List.of(poster(1, "A"), poster(2, "B"), poster(3, "C"));
    List<Assignment> plan = AutoAssignment.plan("s", posters, boards(3), List.of("C", "A"));
    assertThat(plan.stream().map(a -> (int) (a.posterId() - 100)).toList()).containsExactly(3, 1, 2);
  }

  @Test
  void refusesWithTheNumberOfMissingBoards() {
    List<Poster> posters = List.of(poster(1, "A"), poster(2, "A"), poster(3, "B"));
    assertThatThrownBy(() -> AutoAssignment.plan("s", posters, boards(1), List.of()))
        .isInstanceOfSatisfying(ApiError.class, e -> {
          assertThat(e.status()).isEqualTo(409);
          assertThat(e.type()).isEqualTo("not-enough-boards");
          assertThat(e.extensions().getInteger("missing")).isEqualTo(2);
          assertThat(e.detail()).contains("3 posters need a board but there is 1; add 2 more boards");
        });
  }
}
