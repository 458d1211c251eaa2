// What reading an ignore file yields, line by line.

/** One line of an ignore file, after Docker's ReadAll processing. */
export interface IgnorePattern {
  /** 0-based line in the ignore file (for string[] input: the index in the array). */
  line: number;
  /** The line as written (without the line break). */
  raw: string;
  /** After ReadAll processing (trim, Clean, leading '/' removed), without the '!'. */
  pattern: string;
  /** '!' exception. */
  negate: boolean;
  /** Error as Docker reports it; the pattern then never matches. */
  error?: string;
  /** Why, in more words than Docker gives (e.g. which range is inverted). */
  errorDetail?: string;
  /**
   * 'new': patternmatcher.New rejects it, Docker refuses the whole build.
   * 'match': Go's regexp compiler rejects it when the pattern is first used, which also fails the build.
   */
  errorAt?: 'new' | 'match';
}

export interface ParsedIgnoreFile {
  patterns: IgnorePattern[];
  /**
   * Set when Docker's ReadAll fails on the file as a whole: a line of 64 KiB or
   * more ("bufio.Scanner: token too long"). Docker then refuses the build.
   */
  error?: { line: number; message: string };
}
