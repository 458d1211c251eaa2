// Character codes the path and pattern scanners compare against (String.charCodeAt
// and codePointAt values), named once so the scanners read as text.

export const TAB = 0x09;
export const LINE_FEED = 0x0a;
export const CARRIAGE_RETURN = 0x0d;
export const SPACE = 0x20;
export const BANG = 0x21; // !
export const DOLLAR = 0x24; // $
export const LEFT_PAREN = 0x28; // (
export const RIGHT_PAREN = 0x29; // )
export const ASTERISK = 0x2a; // *
export const PLUS = 0x2b; // +
export const DASH = 0x2d; // -
export const DOT = 0x2e; // .
export const SLASH = 0x2f; // /
export const DIGIT_0 = 0x30;
export const DIGIT_1 = 0x31;
export const DIGIT_7 = 0x37;
export const DIGIT_9 = 0x39;
export const COLON = 0x3a; // :
export const QUESTION = 0x3f; // ?
export const UPPER_A = 0x41;
export const UPPER_B = 0x42;
export const UPPER_C = 0x43;
export const UPPER_E = 0x45;
export const UPPER_F = 0x46;
export const UPPER_P = 0x50;
export const UPPER_Q = 0x51;
export const UPPER_Z = 0x5a;
export const LEFT_BRACKET = 0x5b; // [
export const BACKSLASH = 0x5c; // \
export const RIGHT_BRACKET = 0x5d; // ]
export const CARET = 0x5e; // ^
export const UNDERSCORE = 0x5f; // _
export const LOWER_A = 0x61;
export const LOWER_B = 0x62;
export const LOWER_F = 0x66;
export const LOWER_P = 0x70;
export const LOWER_X = 0x78;
export const LOWER_Z = 0x7a;
export const LEFT_BRACE = 0x7b; // {
export const PIPE = 0x7c; // |
export const RIGHT_BRACE = 0x7d; // }
/** U+FEFF, the byte-order mark. */
export const BOM = 0xfeff;
