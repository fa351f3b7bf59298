package dev.confday.posters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.confday.http.ApiError;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FloorPlanTest {
  private static FloorPlan svg(String text) {
    return FloorPlan.inspect(text.getBytes(StandardCharsets.UTF_8), FloorPlan.SVG);
  }

  @Test
  void theDemoHallIsAcceptedWithItsViewBox() throws Exception {
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("demo/exhibit-hall-1.svg")) {
      FloorPlan plan = FloorPlan.inspect(in.readAllBytes(), FloorPlan.SVG);
      assertThat(plan).isEqualTo(new FloorPlan(FloorPlan.SVG, 0, 0, 1200, 800));
    }
  }

  @Test
  void sizeInPixelsServesWhenThereIsNoViewBox() {
    assertThat(svg("<svg xmlns='http://www.w3.org/2000/svg' width='300px' height='200'/>"))
        .isEqualTo(new FloorPlan(FloorPlan.SVG, 0, 0, 300, 200));
    assertThat(svg("<svg xmlns='http://www.w3.org/2000/svg' viewBox='-10,-20 300 200'/>").viewX()).isEqualTo(-10);
  }

  @Test
  void localReferencesAndEmbeddedImagesAreFine() {
    assertThat(svg("""
        <svg xmlns='http://www.w3.org/2000/svg' xmlns:xlink='http://www.w3.org/1999/xlink' viewBox='0 0 10 10'>
          <defs><linearGradient id='g'/></defs><rect fill='url(#g)' width='5' height='5'/>
          <use xlink:href='#g'/><image href='data:image/png;base64,iVBORw0KGgo=' width='1' height='1'/>
          <style>rect { fill: url(#g); }</style>
        </svg>""").width()).isEqualTo(10);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1 1'><SCRIPT>alert(1)</SCRIPT></svg>",
      "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1 1' onload='alert(1)'/>",
      "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1 1'><a href=' javascript:alert(1)'><rect/></a></svg>",
      "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1 1'><use href='other.svg#x'/></svg>",
      "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1 1'><rect style='fill:url(https://x.example/a)'/></svg>",
      "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1 1'><style>@import 'https://x.example/a.css';</style></svg>",
      "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1 1'><set attributeName='href' to='x'/></svg>",
      "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1 1'><image href='data:text/html;base64,PHNjcmlwdD4='/></svg>",
      "<?xml-stylesheet href='https://x.example/a.css'?><svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1 1'/>",
      "<!DOCTYPE svg [<!ENTITY a 'aaaaaaaa'><!ENTITY b '&a;&a;&a;&a;'>]><svg xmlns='http://www.w3.org/2000/svg'>&b;</svg>"
  })
  void anythingThatCouldRunOrFetchIsRefused(String text) {
    assertThatThrownBy(() -> svg(text)).isInstanceOfSatisfying(ApiError.class, e -> {
      assertThat(e.status()).isEqualTo(422);
      assertThat(e.type()).isEqualTo("unsafe-floor-plan");
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "<html><body/></html>",
      "<svg xmlns='http://www.w3.org/2000/svg'/>",
      "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 0 10'/>",
      "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 10 10'>",
      "not xml at all"
  })
  void somethingThatIsNotAPlanWithACoordinateSystemIsUnreadable(String text) {
    assertThatThrownBy(() -> svg(text)).isInstanceOfSatisfying(ApiError.class,
        e -> assertThat(e.type()).isEqualTo("unreadable-floor-plan"));
  }

  @Test
  void otherContentTypesAreUnsupported() {
    assertThatThrownBy(() -> FloorPlan.inspect(new byte[] {1}, "image/gif"))
        .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(415));
    assertThat(FloorPlan.mediaType("Image/SVG+XML; charset=utf-8")).isEqualTo(FloorPlan.SVG);
  }
}
