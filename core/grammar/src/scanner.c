// External scanner for Mesh: significant newlines, comments and string contents.
//
// Only tree-sitter's own headers are used: the scanner is compiled for
// wasm32-unknown-unknown too, where there is no libc beyond tree-sitter's small subset.

#include "tree_sitter/parser.h"

#include <stdbool.h>
#include <stdint.h>

enum TokenType {
  NEWLINE,
  STRING_CONTENT,
  TRIPLE_STRING_CONTENT,
  COMMENT,
  ERROR_SENTINEL,
  END_KEYWORD,
  ITEM_NEWLINE,
};

void *tree_sitter_mesh_external_scanner_create(void) { return NULL; }
void tree_sitter_mesh_external_scanner_destroy(void *payload) { (void)payload; }
unsigned tree_sitter_mesh_external_scanner_serialize(void *payload, char *buffer) {
  (void)payload;
  (void)buffer;
  return 0;
}
void tree_sitter_mesh_external_scanner_deserialize(void *payload, const char *buffer, unsigned length) {
  (void)payload;
  (void)buffer;
  (void)length;
}

static inline void advance(TSLexer *lexer) { lexer->advance(lexer, false); }
static inline void skip(TSLexer *lexer) { lexer->advance(lexer, true); }

static inline bool is_newline(int32_t c) { return c == '\n' || c == '\r'; }
// ASCII plus any non-ASCII code point: enough to tell `end` from `ending` or `endé`.
static inline bool is_identifier_char(int32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}
static inline bool is_blank(int32_t c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v'; }

// Text of a string up to (not including) its end quote(s), a `\` escape or a `${`.
// Newlines are content: strings may span lines.
static bool scan_string_content(TSLexer *lexer, bool triple) {
  bool has_content = false;
  for (;;) {
    lexer->mark_end(lexer);
    if (lexer->eof(lexer)) return has_content;
    int32_t c = lexer->lookahead;
    if (c == '\\') return has_content;
    if (c == '"') {
      if (!triple) return has_content;
      // One or two quotes inside a `"""` string are content; three end it.
      advance(lexer);
      if (lexer->lookahead == '"') {
        advance(lexer);
        if (lexer->lookahead == '"') return has_content;
      }
      has_content = true;
      continue;
    }
    if (c == '$') {
      advance(lexer);
      if (lexer->lookahead == '{') return has_content;
      has_content = true;
      continue;
    }
    advance(lexer);
    has_content = true;
  }
}

// At `#`: past a line comment, or a `#= ... =#` block comment (nestable; unterminated, it
// runs to the end of the file). Sets no token end.
static void advance_past_comment(TSLexer *lexer) {
  advance(lexer);  // '#'
  if (lexer->lookahead != '=') {
    while (!lexer->eof(lexer) && !is_newline(lexer->lookahead)) advance(lexer);
    return;
  }
  advance(lexer);  // '='
  unsigned depth = 1;
  while (depth > 0 && !lexer->eof(lexer)) {
    int32_t c = lexer->lookahead;
    advance(lexer);
    if (c == '#' && lexer->lookahead == '=') {
      advance(lexer);
      depth++;
    } else if (c == '=' && lexer->lookahead == '#') {
      advance(lexer);
      depth--;
    }
  }
}

static bool scan_comment(TSLexer *lexer) {
  advance_past_comment(lexer);
  lexer->mark_end(lexer);
  return true;
}

// At the `=` of `#=`: whether this block comment closes without nesting (so the grammar's
// block form lexes it the same way) and only blanks and other comments follow it up to the
// end of its last line (or of the file). Sets no token end.
static bool lone_flat_block_comment(TSLexer *lexer) {
  advance(lexer);  // '='
  for (;;) {
    if (lexer->eof(lexer)) return false;
    int32_t c = lexer->lookahead;
    advance(lexer);
    if (c == '#' && lexer->lookahead == '=') return false;
    if (c == '=' && lexer->lookahead == '#') {
      advance(lexer);
      break;
    }
  }
  for (;;) {
    while (is_blank(lexer->lookahead)) advance(lexer);
    if (lexer->lookahead != '#') return lexer->eof(lexer) || is_newline(lexer->lookahead);
    // Later comments on the line are lexed by this scanner (not at a newline), nesting or not.
    advance_past_comment(lexer);
  }
}

// Whether the identifier at the lookahead is a keyword that starts a top-level item. Advances
// over it (sets no token end).
static bool at_item_keyword(TSLexer *lexer) {
  static const char *const keywords[] = {
    "pub", "fn", "def", "type", "struct", "module", "interface", "impl", "actor", "service", "supervisor", "import",
  };
  char word[12];
  unsigned length = 0;
  while (is_identifier_char(lexer->lookahead)) {
    if (length == sizeof word) return false;
    word[length++] = (char)lexer->lookahead;
    advance(lexer);
  }
  for (unsigned k = 0; k < sizeof keywords / sizeof keywords[0]; k++) {
    const char *keyword = keywords[k];
    unsigned i = 0;
    while (i < length && keyword[i] == word[i]) i++;
    if (i == length && keyword[i] == '\0') return true;
  }
  return false;
}

bool tree_sitter_mesh_external_scanner_scan(void *payload, TSLexer *lexer, const bool *valid_symbols) {
  (void)payload;
  bool recovering = valid_symbols[ERROR_SENTINEL];

  if (!recovering) {
    if (valid_symbols[TRIPLE_STRING_CONTENT]) {
      lexer->result_symbol = TRIPLE_STRING_CONTENT;
      return scan_string_content(lexer, true);
    }
    if (valid_symbols[STRING_CONTENT]) {
      lexer->result_symbol = STRING_CONTENT;
      return scan_string_content(lexer, false);
    }
  }

  while (is_blank(lexer->lookahead)) skip(lexer);

  if (valid_symbols[NEWLINE] && is_newline(lexer->lookahead)) {
    // The token is the newline and any blank lines after it.
    bool at_column_1 = false;
    while (is_blank(lexer->lookahead) || is_newline(lexer->lookahead)) {
      at_column_1 = is_newline(lexer->lookahead);
      advance(lexer);
      if (at_column_1) lexer->mark_end(lexer);
    }
    // A next code line starting with `|>` continues the previous expression, so there is no
    // statement end here: decline, and the internal lexer skips the whitespace and takes
    // the `|>`. Whole-line comments may sit in between: at one, decline too (the grammar
    // defines the line-comment form, so the internal lexer takes it) and decide at the
    // newline after it. Looking only at the next line keeps a run of comment lines linear;
    // walking them all from every newline was quadratic.
    lexer->result_symbol = NEWLINE;
    if (lexer->lookahead == '#') {
      advance(lexer);
      if (lexer->lookahead != '=') return false;
      // A block comment: decline (decide after it) only if it is alone on its line(s) and the
      // grammar's block form lexes it the same way, i.e. it neither nests nor runs to the end
      // of the file. Scanning it here and again as a token stays linear.
      return !lone_flat_block_comment(lexer);
    }
    if (lexer->lookahead == '|') {
      advance(lexer);
      if (lexer->lookahead == '>') return false;
    }
    // An item keyword at column 1 inside a block that cannot hold items (`end` is valid, this
    // token is not): most likely that block's `end` is missing. Return the token the grammar
    // does not expect here, so error recovery closes the block with a MISSING `end`.
    if (at_column_1 && !recovering && valid_symbols[END_KEYWORD] && !valid_symbols[ITEM_NEWLINE] &&
        at_item_keyword(lexer)) {
      lexer->result_symbol = ITEM_NEWLINE;
    }
    return true;
  }

  while (is_blank(lexer->lookahead) || is_newline(lexer->lookahead)) skip(lexer);

  if (lexer->lookahead == '#' && valid_symbols[COMMENT]) {
    lexer->result_symbol = COMMENT;
    return scan_comment(lexer);
  }

  // `end` is reserved: lex it as the keyword even where the grammar cannot take it, so
  // error recovery sees what it is.
  if (lexer->lookahead == 'e') {
    advance(lexer);
    if (lexer->lookahead != 'n') return false;
    advance(lexer);
    if (lexer->lookahead != 'd') return false;
    advance(lexer);
    if (is_identifier_char(lexer->lookahead)) return false;
    lexer->mark_end(lexer);
    lexer->result_symbol = END_KEYWORD;
    return true;
  }

  return false;
}
