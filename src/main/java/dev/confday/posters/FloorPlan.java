package dev.confday.posters;

import dev.confday.http.ApiError;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * An uploaded floor plan, checked: its content type and the coordinate system boards are placed
 * in (an SVG's viewBox, or an image's pixel size). SVG plans are refused when they could run
 * or fetch anything: scripts, {@code foreignObject}, event-handler attributes, links to
 * anything but the file itself, DTDs and entities. (They are also served with a CSP that
 * forbids all of it, so a check that misses something is not an open door.) Blocking work:
 * call it on a worker.
 */
public record FloorPlan(String contentType, double viewX, double viewY, double width, double height) {
  public static final String SVG = "image/svg+xml";
  public static final String PNG = "image/png";
  public static final String JPEG = "image/jpeg";
  public static final Set<String> TYPES = Set.of(SVG, PNG, JPEG);

  private static final Set<String> REFUSED_ELEMENTS = Set.of("script", "foreignobject", "iframe", "embed", "object",
      "handler", "listener");
  private static final Pattern NUMBER = Pattern.compile("^\\s*([0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\\s*(px)?\\s*$");
  private static final Pattern URL_IN_CSS = Pattern.compile("url\\(\\s*['\"]?\\s*([^'\")\\s]*)", Pattern.CASE_INSENSITIVE);

  /** The media type without parameters, lower case; null when absent. */
  public static String mediaType(String header) {
    if (header == null) {
      return null;
    }
    int semi = header.indexOf(';');
    return (semi < 0 ? header : header.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  /** Checks {@code content} against its declared type and reads its coordinate system. */
  public static FloorPlan inspect(byte[] content, String contentType) {
    if (!TYPES.contains(contentType)) {
      throw unsupported();
    }
    if (content.length == 0) {
      throw unreadable("The floor plan is empty.");
    }
    return SVG.equals(contentType) ? svg(content) : image(content, contentType);
  }

  static ApiError unsupported() {
    return new ApiError(415, "unsupported-media-type", "Unsupported media type",
        "Send the floor plan as image/svg+xml, image/png or image/jpeg.");
  }

  private static ApiError unreadable(String detail) {
    return new ApiError(400, "unreadable-floor-plan", "Unreadable floor plan", detail);
  }

  private static ApiError unsafe(String what) {
    return new ApiError(422, "unsafe-floor-plan", "Floor plan refused",
        "The SVG contains " + what + ". Export the plan again as plain drawing (no scripts, no embedded "
            + "HTML, no links to other files) or upload it as PNG.");
  }

  private static FloorPlan svg(byte[] content) {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    factory.setXMLReporter((message, type, info, location) -> {
      // parse errors surface as exceptions; keep them off stderr
    });
    FloorPlan plan = null;
    try {
      XMLStreamReader xml = factory.createXMLStreamReader(new StringReader(utf8(content)));
      boolean inStyle = false;
      while (xml.hasNext()) {
        int event = xml.next();
        switch (event) {
          case XMLStreamConstants.DTD -> throw unsafe("a DOCTYPE declaration");
          case XMLStreamConstants.ENTITY_REFERENCE -> throw unsafe("an entity reference");
          case XMLStreamConstants.PROCESSING_INSTRUCTION -> throw unsafe("a processing instruction (e.g. an "
              + "external stylesheet)");
          case XMLStreamConstants.START_ELEMENT -> {
            String name = xml.getLocalName().toLowerCase(Locale.ROOT);
            if (plan == null) {
              if (!name.equals("svg")) {
                throw unreadable("The file is XML but its root element is <" + xml.getLocalName() + ">, not <svg>.");
              }
              plan = coordinateSystem(xml);
            }
            if (REFUSED_ELEMENTS.contains(name)) {
              throw unsafe("a <" + xml.getLocalName() + "> element");
            }
            checkAttributes(xml);
            inStyle = name.equals("style");
          }
          case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> {
            if (inStyle) {
              checkCss(xml.getText());
            }
          }
          case XMLStreamConstants.END_ELEMENT -> inStyle = false;
          default -> {
          }
        }
      }
    } catch (XMLStreamException e) {
      throw unreadable("The file is not a well-formed SVG document (" + firstLine(e.getMessage()) + ").");
    }
    if (plan == null) {
      throw unreadable("The file has no <svg> element.");
    }
    return plan;
  }

  /** SVG exports are UTF-8; anything else (or binary) is refused here with a clear message. */
  private static String utf8(byte[] content) {
    try {
      String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
      return text.startsWith("\uFEFF") ? text.substring(1) : text;
    } catch (CharacterCodingException e) {
      throw unreadable("The file is not an SVG document (SVG plans must be UTF-8 text).");
    }
  }

  private static void checkAttributes(XMLStreamReader xml) {
    for (int i = 0; i < xml.getAttributeCount(); i++) {
      String name = xml.getAttributeLocalName(i).toLowerCase(Locale.ROOT);
      String value = xml.getAttributeValue(i);
      String compact = value.replaceAll("\\s", "").toLowerCase(Locale.ROOT);
      if (name.startsWith("on")) {
        throw unsafe("an event handler attribute (" + xml.getAttributeLocalName(i) + ")");
      }
      if (compact.startsWith("javascript:") || compact.startsWith("vbscript:")) {
        throw unsafe("a script link");
      }
      if ((name.equals("href") || name.equals("src")) && !localReference(value)) {
        throw unsafe("a reference to another file (" + abbreviate(value) + ")");
      }
      if (name.equals("attributename") && (compact.endsWith("href") || compact.startsWith("on"))) {
        throw unsafe("an animation that changes a link or handler");
      }
      if (name.equals("style") || value.contains("url(")) {
        checkCss(value);
      }
    }
  }

  private static void checkCss(String css) {
    if (css.toLowerCase(Locale.ROOT).contains("@import")) {
      throw unsafe("a stylesheet import");
    }
    Matcher m = URL_IN_CSS.matcher(css);
    while (m.find()) {
      if (!localReference(m.group(1))) {
        throw unsafe("a reference to another file (" + abbreviate(m.group(1)) + ")");
      }
    }
  }

  /** A fragment of this document ({@code #id}) or an embedded raster image. */
  private static boolean localReference(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    return v.startsWith("#") || v.matches("^data:image/(png|jpeg|gif|webp);base64,[a-z0-9+/=\\s]*$");
  }

  private static FloorPlan coordinateSystem(XMLStreamReader xml) {
    String viewBox = xml.getAttributeValue(null, "viewBox");
    if (viewBox != null) {
      String[] parts = viewBox.trim().split("[\\s,]+");
      if (parts.length == 4) {
        try {
          double x = Double.parseDouble(parts[0]);
          double y = Double.parseDouble(parts[1]);
          double w = Double.parseDouble(parts[2]);
          double h = Double.parseDouble(parts[3]);
          if (w > 0 && h > 0 && Double.isFinite(x + y + w + h)) {
            return new FloorPlan(SVG, x, y, w, h);
          }
        } catch (NumberFormatException e) {
          // reported below
        }
      }
      throw unreadable("The SVG's viewBox '" + abbreviate(viewBox) + "' is not four numbers with a positive "
          + "width and height.");
    }
    Double w = pixels(xml.getAttributeValue(null, "width"));
    Double h = pixels(xml.getAttributeValue(null, "height"));
    if (w == null || h == null || w <= 0 || h <= 0) {
      throw unreadable("The SVG needs a viewBox (or width and height in pixels): boards are placed in its "
          + "coordinates.");
    }
    return new FloorPlan(SVG, 0, 0, w, h);
  }

  private static Double pixels(String value) {
    if (value == null) {
      return null;
    }
    Matcher m = NUMBER.matcher(value);
    return m.matches() ? Double.parseDouble(m.group(1)) : null;
  }

  private static FloorPlan image(byte[] content, String contentType) {
    String wanted = PNG.equals(contentType) ? "png" : "jpeg";
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(content))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw unreadable("The file is not a " + wanted.toUpperCase(Locale.ROOT) + " image.");
      }
      ImageReader reader = readers.next();
      try {
        if (!reader.getFormatName().equalsIgnoreCase(wanted)
            && !(wanted.equals("jpeg") && reader.getFormatName().equalsIgnoreCase("jpg"))) {
          throw unreadable("The file is a " + reader.getFormatName().toUpperCase(Locale.ROOT) + " image, not "
              + wanted.toUpperCase(Locale.ROOT) + "; send it with the matching content type.");
        }
        reader.setInput(in, true, true);
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        return new FloorPlan(contentType, 0, 0, w, h);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof ApiError api) {
        throw api;
      }
      throw unreadable("The " + wanted.toUpperCase(Locale.ROOT) + " image cannot be read.");
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "parse error";
    }
    String line = s.lines().reduce((a, b) -> b).orElse(s).trim();
    return abbreviate(line);
  }
}
