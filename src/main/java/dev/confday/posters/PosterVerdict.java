package dev.confday.posters;

/** What the poster check concluded about one uploaded file, from best to worst. */
public enum PosterVerdict {
  /** A readable one-page PDF of about the recommended size. */
  RECOMMENDED_SIZE,
  /** A readable one-page PDF within the maximum size; it may carry warnings. */
  FITS,
  /** A readable one-page PDF that is too wide or too tall for the wall. */
  TOO_LARGE,
  /** Not a usable poster PDF at all: not a PDF, damaged, encrypted, several pages, scripts. */
  NOT_ACCEPTABLE;

  /** True when the poster can be hung as it is. */
  public boolean accepted() {
    return this == RECOMMENDED_SIZE || this == FITS;
  }
}
