/**
 * Tree-sitter grammar for Mesh (`.mpl`). Language reference: ../shared/MESH-SYNTAX.md.
 * Node types and fields are documented in README.md; other crates query them by name.
 */

/// <reference types="tree-sitter-cli/dsl" />
// @ts-check

const PREC = {
  return: -1,
  pipe: 1,
  or: 2,
  and: 3,
  equality: 4,
  comparison: 5,
  range: 6,
  concat: 7,
  additive: 8,
  multiplicative: 9,
  unary: 10,
  postfix: 11,
  // A call followed by `do` takes the block as a trailing closure only where nothing
  // else could own the `do` (`if f(x) do` gives the `do` to the `if`): hence block < call.
  call_block: 12,
  call: 13,
};

const BINARY = [
  [PREC.multiplicative, choice('*', '/', '%')],
  [PREC.additive, choice('+', '-')],
  [PREC.concat, choice('<>', '++')],
  [PREC.range, '..'],
  [PREC.comparison, choice('<', '>', '<=', '>=')],
  [PREC.equality, choice('==', '!=')],
  [PREC.and, choice('and', '&&')],
  [PREC.or, choice('or', '||')],
  [PREC.pipe, '|>'],
];

// Keywords that may follow `.` as a field name (`Node.self()`, `Ws.send(c, m)`).
const FIELD_KEYWORDS = ['self', 'monitor', 'spawn', 'link', 'send', 'where', 'cast'];
// Keywords that name built-in functions when called (`spawn(worker)`, `send(pid, m)`).
const CALLABLE_KEYWORDS = ['spawn', 'send', 'link', 'monitor'];
// Reserved everywhere: never an identifier, so a misplaced `end` stays an `end` for error recovery.
const KEYWORDS = [
  'if', 'else', 'case', 'match', 'do', 'end', 'for', 'in', 'while', 'break', 'continue', 'return',
  'when', 'where', 'fn', 'def', 'pub', 'module', 'import', 'struct', 'type', 'interface', 'impl',
  'actor', 'service', 'supervisor', 'call', 'cast', 'receive', 'after', 'send', 'spawn',
  'link', 'monitor', 'terminate', 'self', 'true', 'false', 'nil', 'and', 'or', 'not',
  'let',
];
// `alias cond trait trap with` are reserved by Mesh but unused; they parse as identifiers.
const STRUCT_OPTIONS = ['table', 'primary_key', 'timestamps', 'belongs_to', 'has_many', 'has_one'];

const typeId = ($) => alias($.identifier, $.type_identifier);
const commaSep1 = (rule) => seq(rule, repeat(seq(',', rule)));
const commaSep = (rule) => optional(commaSep1(rule));
// A comma list that may end with a comma (inside brackets, where newlines are free).
const trailingCommaSep = (rule) => optional(seq(commaSep1(rule), optional(',')));
/**
 * The inside of a string literal: text (`content`), `${}` interpolations and escapes. The first
 * part stands alone, so a one-part string (most of them) has no hidden repeat node to reduce.
 */
const stringParts = ($, content) => {
  const part = choice(
    field('content', alias(content, $.string_content)),
    field('interpolation', $.interpolation),
    $.escape_sequence,
  );
  return optional(seq(part, repeat(part)));
};

/**
 * Items separated by statement terminators (newlines, `;`), with any terminators around.
 * May be empty, so it is only used inline between two tokens.
 */
function lines($, item, terminators = $._terminators) {
  return seq(
    optional(terminators),
    optional(seq(item, repeat(seq(terminators, item)), optional(terminators))),
  );
}

/** Like `lines`, but holding at least one item. */
function lines1($, item) {
  return seq(
    optional($._terminators),
    item,
    repeat(seq($._terminators, item)),
    optional($._terminators),
  );
}

module.exports = grammar({
  name: 'mesh',

  externals: ($) => [
    $._newline,
    $._string_content,
    $._triple_string_content,
    $.comment,
    // Never valid in the grammar: when the scanner sees it valid, tree-sitter is recovering.
    $._error_sentinel,
    // The scanner returns `end` even where it is not valid (`foo(1, 2` then `end`), so
    // error recovery sees the keyword, not an identifier, and can insert the missing `)`
    // instead of swallowing the rest of the file. (Costs ~500 parse states: a token that
    // is both external and internal keeps tree-sitter from merging states.)
    'end',
    // A newline before an item keyword at column 1 (`fn`, `pub`, `type`, …): the scanner
    // returns it only inside a block that cannot hold items, where it is never valid, so a
    // block left open by a missing `end` ends there (MISSING `end`) instead of swallowing
    // the following items. Valid only where items are, as a statement end.
    $._item_newline,
  ],

  extras: ($) => [/\s/, $.comment],

  word: ($) => $.identifier,

  reserved: {
    global: (_) => KEYWORDS,
  },

  supertypes: ($) => [$._expression, $._pattern, $._type],

  // Hidden choices are inlined where that keeps the table small: each is otherwise a reduction
  // (one stack pop, one node) per expression or pattern. The trees are the same; the parse of the
  // example took 10% fewer instructions (1,912 → 1,489 reductions in api/alerts.mpl), for 113
  // more states. (`_expression` inlined too made 26,091 states; `_statement`, a changed recovery.)
  inline: ($) => [$._field_name, $._callee_keyword, $._primary_expression, $._literal_pattern, $._simple_pattern],

  conflicts: ($) => [
    // `fn name(…)` at statement start: a definition, or a closure whose first clause starts
    // with a constructor pattern. Resolved a few tokens later (the closure needs `->` and an
    // expression body, the definition `do`, `=` or a return type).
    [$.parameters, $.constructor_pattern],
    [$.parameter, $._pattern],
  ],

  rules: {
    source_file: ($) => lines($, $._item, $._item_terminators),

    _terminators: ($) => repeat1(choice($._newline, ';')),

    _item_terminators: ($) => repeat1(choice($._newline, ';', $._item_newline)),

    // ---------------------------------------------------------------- items

    _item: ($) =>
      choice(
        $.function_definition,
        $.module_definition,
        $.import_statement,
        $.from_import,
        $.struct_definition,
        $.type_definition,
        $.type_alias,
        $.interface_definition,
        $.impl_definition,
        $.actor_definition,
        $.service_definition,
        $.supervisor_definition,
        $.let_statement,
        $._expression,
      ),

    // `fn name(...)` at statement start is a definition, in blocks too.
    _statement: ($) => choice($.let_statement, $.function_definition, $._expression),

    function_definition: ($) =>
      seq(
        optional('pub'),
        choice('fn', 'def'),
        $._function_head,
        optional(seq('when', field('guard', $._expression))),
        optional(field('where', $.where_clause)),
        choice(field('body', $.block), seq('=', field('body', $._expression))),
      ),

    // An interface method without a body.
    function_signature: ($) =>
      seq(optional('pub'), choice('fn', 'def'), $._function_head, optional(field('where', $.where_clause))),

    _function_head: ($) =>
      seq(
        field('name', $.identifier),
        optional(field('type_parameters', $.type_parameters)),
        field('parameters', $.parameters),
        optional(seq('->', field('return_type', $._type))),
      ),

    parameters: ($) => seq('(', trailingCommaSep($.parameter), ')'),

    parameter: ($) =>
      seq(field('pattern', $._simple_pattern), optional(seq('::', field('type', $._type)))),

    type_parameters: ($) => seq('<', commaSep1(typeId($)), optional(','), '>'),

    where_clause: ($) => seq('where', commaSep1($.type_bound)),

    type_bound: ($) =>
      seq(
        field('type', typeId($)),
        ':',
        field('bound', $._type),
        repeat(seq('+', field('bound', $._type))),
      ),

    module_definition: ($) =>
      seq(
        optional('pub'),
        'module',
        field('name', choice($.identifier, $.module_path)),
        field('body', alias($._item_block, $.block)),
      ),

    _item_block: ($) => seq('do', lines($, $._item, $._item_terminators), 'end'),

    import_statement: ($) => seq('import', field('module', $.module_path)),

    from_import: ($) =>
      seq('from', field('module', $.module_path), 'import', field('names', $.import_list)),

    import_list: ($) => commaSep1($.identifier),

    module_path: ($) => prec.right(seq($.identifier, repeat(seq('.', $.identifier)))),

    struct_definition: ($) =>
      seq(
        optional('pub'),
        'struct',
        field('name', $.identifier),
        optional(field('type_parameters', $.type_parameters)),
        field('body', $.struct_body),
        optional(field('deriving', $.deriving_clause)),
      ),

    struct_body: ($) =>
      seq('do', lines($, choice($.field_declaration, $.struct_option)), 'end'),

    field_declaration: ($) =>
      seq(field('name', $.identifier), '::', field('type', $._type), optional(',')),

    // `table "points"`, `primary_key :uid`, `timestamps true`, `belongs_to :owner, User`, ...
    struct_option: ($) =>
      seq(field('name', alias(choice(...STRUCT_OPTIONS), $.identifier)), commaSep1(field('value', $._expression))),

    deriving_clause: ($) => seq('deriving', '(', trailingCommaSep($._type), ')'),

    // A sum type: `type Shape do Dot; Circle(Float); Rect(w :: Float) end`.
    type_definition: ($) =>
      seq(
        optional('pub'),
        'type',
        field('name', $.identifier),
        optional(field('type_parameters', $.type_parameters)),
        field('body', $.variant_list),
        optional(field('deriving', $.deriving_clause)),
      ),

    variant_list: ($) => seq('do', lines($, $.variant), 'end'),

    variant: ($) =>
      seq(
        field('name', $.identifier),
        optional(seq('(', trailingCommaSep(field('field', $.variant_field)), ')')),
      ),

    variant_field: ($) =>
      choice(field('type', $._type), seq(field('name', $.identifier), '::', field('type', $._type))),

    type_alias: ($) =>
      seq(
        optional('pub'),
        'type',
        field('name', $.identifier),
        optional(field('type_parameters', $.type_parameters)),
        '=',
        field('type', $._type),
      ),

    // `type Item` inside an interface.
    associated_type: ($) => seq('type', field('name', $.identifier)),

    interface_definition: ($) =>
      seq(
        optional('pub'),
        'interface',
        field('name', $.identifier),
        optional(field('type_parameters', $.type_parameters)),
        field('body', alias($._interface_block, $.block)),
      ),

    _interface_block: ($) =>
      seq(
        'do',
        lines(
          $,
          choice($.function_signature, $.function_definition, $.associated_type, $.type_alias),
          $._item_terminators,
        ),
        'end',
      ),

    impl_definition: ($) =>
      seq(
        'impl',
        field('trait', $._type),
        optional(seq('for', field('type', $._type))),
        field('body', alias($._impl_block, $.block)),
      ),

    _impl_block: ($) =>
      seq('do', lines($, choice($.function_definition, $.type_alias), $._item_terminators), 'end'),

    actor_definition: ($) =>
      seq(
        'actor',
        field('name', $.identifier),
        optional(field('parameters', $.parameters)),
        field('body', alias($._process_block, $.block)),
      ),

    service_definition: ($) =>
      seq('service', field('name', $.identifier), field('body', alias($._process_block, $.block))),

    // Actor and service bodies: items, statements, handlers and `terminate do ... end`.
    _process_block: ($) =>
      seq(
        'do',
        lines($, choice($._item, $.call_handler, $.cast_handler, $.terminate_clause), $._item_terminators),
        'end',
      ),

    terminate_clause: ($) => seq('terminate', field('body', $.block)),

    call_handler: ($) => seq('call', $._handler_head, field('body', $.block)),

    cast_handler: ($) => seq('cast', $._handler_head, field('body', $.block)),

    _handler_head: ($) =>
      seq(
        field('name', $.identifier),
        field('parameters', $.parameters),
        optional(seq(choice('::', '->'), field('return_type', $._type))),
      ),

    supervisor_definition: ($) =>
      seq(optional('pub'), 'supervisor', field('name', $.identifier), field('body', $.supervisor_body)),

    supervisor_body: ($) => seq('do', lines($, choice($.supervisor_option, $.child_spec)), 'end'),

    // `strategy: one_for_one`, `start: fn -> spawn(worker) end`, ...
    supervisor_option: ($) => seq(field('key', $.identifier), ':', field('value', $._expression)),

    child_spec: ($) => seq('child', field('name', $.identifier), field('body', $.supervisor_body)),

    // ---------------------------------------------------------------- statements

    let_statement: ($) =>
      seq(
        'let',
        field('pattern', $._simple_pattern),
        optional(seq('::', field('type', $._type))),
        '=',
        field('value', $._expression),
      ),

    block: ($) =>
      seq('do', optional(field('parameters', $.block_parameters)), lines($, $._statement), 'end'),

    // `do |state| ... end`
    block_parameters: ($) => seq('|', commaSep1($.parameter), '|'),

    // ---------------------------------------------------------------- expressions

    _expression: ($) =>
      choice(
        $.binary_expression,
        $.unary_expression,
        $.return_expression,
        $._primary_expression,
      ),

    _primary_expression: ($) =>
      choice(
        $.identifier,
        alias($._callee_keyword, $.identifier),
        $.self,
        $.integer,
        $.float,
        $.string,
        $.atom,
        $.boolean,
        $.nil,
        $.list,
        $.map,
        $.map_update,
        $.tuple,
        $.unit,
        $.parenthesized_expression,
        $.struct_literal,
        $.call,
        $.field_access,
        $.index_expression,
        $.try_expression,
        $.if_expression,
        $.case_expression,
        $.receive_expression,
        $.closure,
        $.for_expression,
        $.while_expression,
        $.break_expression,
        $.continue_expression,
      ),

    _callee_keyword: (_) => choice(...CALLABLE_KEYWORDS),

    binary_expression: ($) =>
      choice(
        ...BINARY.map(([p, op]) =>
          prec.left(p, seq(field('left', $._expression), field('operator', op), field('right', $._expression))),
        ),
      ),

    unary_expression: ($) =>
      prec(PREC.unary, seq(field('operator', choice('-', '!', 'not')), field('operand', $._expression))),

    return_expression: ($) => prec.right(PREC.return, seq('return', optional(field('value', $._expression)))),

    break_expression: (_) => 'break',

    continue_expression: (_) => 'continue',

    call: ($) =>
      choice(
        prec(PREC.call, seq(field('function', $._primary_expression), field('arguments', $.arguments))),
        prec(
          PREC.call_block,
          seq(field('function', $._primary_expression), field('arguments', $.arguments), field('block', $.block)),
        ),
      ),

    arguments: ($) => seq('(', trailingCommaSep(choice($._expression, $.keyword_argument)), ')'),

    keyword_argument: ($) => seq(field('name', $.identifier), ':', field('value', $._expression)),

    field_access: ($) =>
      prec(PREC.postfix, seq(field('value', $._primary_expression), '.', field('field', $._field_name))),

    _field_name: ($) => choice($.identifier, alias(choice(...FIELD_KEYWORDS), $.identifier)),

    index_expression: ($) =>
      prec(PREC.postfix, seq(field('value', $._primary_expression), '[', field('index', $._expression), ']')),

    try_expression: ($) => prec(PREC.postfix, seq(field('value', $._primary_expression), '?')),

    // `Point { x: 1, y: 2 }`
    struct_literal: ($) =>
      prec(
        PREC.postfix,
        seq(
          field('name', choice($.identifier, $.field_access)),
          '{',
          trailingCommaSep(field('field', $.field_initializer)),
          '}',
        ),
      ),

    field_initializer: ($) => seq(field('name', $.identifier), ':', field('value', $._expression)),

    list: ($) => seq('[', trailingCommaSep($._expression), ']'),

    map: ($) => seq('%{', trailingCommaSep($.map_entry), '}'),

    map_entry: ($) =>
      choice(
        seq(field('key', $._expression), '=>', field('value', $._expression)),
        seq(field('key', $.identifier), ':', field('value', $._expression)),
      ),

    // `%{p | x: 1}`
    map_update: ($) =>
      seq('%{', field('value', $._expression), '|', trailingCommaSep(field('field', $.field_initializer)), '}'),

    tuple: ($) => seq('(', $._expression, ',', trailingCommaSep($._expression), ')'),

    unit: (_) => seq('(', ')'),

    parenthesized_expression: ($) => seq('(', $._expression, ')'),

    if_expression: ($) =>
      seq(
        'if',
        $._if_head,
        'end',
      ),

    // One `end` closes a whole `else if` chain, so the inner links have none.
    _if_head: ($) =>
      seq(
        field('condition', $._expression),
        field('consequence', alias($._then_block, $.block)),
        optional(field('alternative', $.else_clause)),
      ),

    _then_block: ($) => seq('do', lines($, $._statement)),

    else_clause: ($) =>
      seq(
        'else',
        optional(choice(alias($._else_if, $.if_expression), alias($._else_block, $.block))),
      ),

    _else_if: ($) => prec(1, seq('if', $._if_head)),

    _else_block: ($) => choice($._terminators, lines1($, $._statement)),

    case_expression: ($) =>
      seq(
        choice('case', 'match'),
        field('value', $._expression),
        'do',
        lines($, $.case_arm),
        'end',
      ),

    case_arm: ($) =>
      seq(
        field('pattern', $._pattern),
        optional(seq('when', field('guard', $._expression))),
        '->',
        field('body', $._expression),
      ),

    receive_expression: ($) =>
      seq('receive', 'do', lines($, choice($.case_arm, $.after_clause)), 'end'),

    // `after 500 -> :timeout`
    after_clause: ($) => seq('after', field('timeout', $._expression), '->', field('body', $._expression)),

    // `fn(x) -> x end`, `fn x -> x end`, `fn -> 1 end`, `fn(x) do x end`, `fn x do x end`,
    // `fn 0 -> a | n -> b end`, `fn x when x > 0 -> x | x -> 0 - x end`
    closure: ($) =>
      choice(
        seq(
          'fn',
          optional(field('parameters', choice($.parameters, alias($._bare_parameters, $.parameters)))),
          field('body', $.block),
        ),
        seq(
          'fn',
          $.closure_clause,
          repeat(seq('|', alias($._later_closure_clause, $.closure_clause))),
          'end',
        ),
      ),

    closure_clause: ($) =>
      seq(
        optional(field('parameters', choice($.parameters, alias($._first_bare_parameters, $.parameters)))),
        optional(seq('when', field('guard', $._expression))),
        '->',
        field('body', alias($._clause_body, $.block)),
      ),

    _later_closure_clause: ($) =>
      seq(
        optional(field('parameters', alias($._later_bare_parameters, $.parameters))),
        optional(seq('when', field('guard', $._expression))),
        '->',
        field('body', alias($._clause_body, $.block)),
      ),

    // Bare parameters of a `do` closure: simple patterns only, so that at statement start
    // `fn name(x) do` is only ever a function definition.
    _bare_parameters: ($) => commaSep1(alias($._bare_parameter, $.parameter)),

    _bare_parameter: ($) => field('pattern', $._literal_pattern),

    // The first arrow clause may also start with a constructor (`fn Some(x) -> x | None -> 0 end`).
    // At statement start `fn name(` then reads as a definition and as a closure until the
    // token after the `)` or the return type decides (a short GLR fork, see `conflicts`).
    _first_bare_parameters: ($) =>
      seq(
        alias(choice($._bare_parameter, $._constructor_parameter), $.parameter),
        repeat(seq(',', alias($._bare_parameter, $.parameter))),
      ),

    _constructor_parameter: ($) => field('pattern', $.constructor_pattern),

    _later_bare_parameters: ($) => commaSep1(alias($._later_bare_parameter, $.parameter)),

    _later_bare_parameter: ($) => field('pattern', $._pattern),

    _clause_body: ($) => lines1($, $._statement),

    for_expression: ($) =>
      seq(
        'for',
        field('pattern', $._pattern),
        'in',
        field('iterable', $._expression),
        optional(seq('when', field('guard', $._expression))),
        field('body', $.block),
      ),

    while_expression: ($) => seq('while', field('condition', $._expression), field('body', $.block)),

    // ---------------------------------------------------------------- literals

    identifier: (_) => /[\p{L}_][\p{L}\p{N}_]*/,

    // The scanner lexes every comment; these forms let the internal lexer take one too, after
    // the scanner declined a newline followed by a comment line (to decide at the newline after
    // it whether a `|>` line continues). The block form is a `#= … =#` that does not nest (the
    // scanner declines only for those): between `=` and `#` there is always another character.
    comment: (_) =>
      token(
        choice(
          seq('#', optional(seq(/[^=\r\n]/, /[^\r\n]*/))),
          seq('#=', /([^=#]|=+[^=#]|#+[^=#])*/, /=+#/),
        ),
      ),

    self: (_) => 'self',

    integer: (_) =>
      token(choice(/0[xX][0-9a-fA-F][0-9a-fA-F_]*/, /0[bB][01][01_]*/, /0[oO][0-7][0-7_]*/, /[0-9][0-9_]*/)),

    float: (_) =>
      token(
        choice(
          /[0-9][0-9_]*\.[0-9][0-9_]*([eE][+-]?[0-9][0-9_]*)?/,
          /[0-9][0-9_]*[eE][+-]?[0-9][0-9_]*/,
        ),
      ),

    atom: (_) => token(seq(':', /[\p{Ll}_][\p{L}\p{N}_]*/)),

    boolean: (_) => choice('true', 'false'),

    nil: (_) => 'nil',

    string: ($) =>
      choice(
        seq('"', stringParts($, $._string_content), '"'),
        seq('"""', stringParts($, $._triple_string_content), '"""'),
      ),

    escape_sequence: (_) => token.immediate(/\\(.|\r?\n)/),

    interpolation: ($) => seq('${', field('expression', $._expression), '}'),

    // ---------------------------------------------------------------- patterns

    _pattern: ($) => choice($._simple_pattern, $.or_pattern, $.as_pattern, $.cons_pattern),

    // Patterns that need no parentheses before `::` (a type annotation there).
    _simple_pattern: ($) =>
      choice($._literal_pattern, $.self, $.tuple_pattern, $.unit, $.parenthesized_pattern, $.constructor_pattern),

    _literal_pattern: ($) =>
      choice(
        $.identifier,
        $.wildcard,
        $.integer,
        $.float,
        $.string,
        $.atom,
        $.boolean,
        $.nil,
        $.negative_literal,
      ),

    wildcard: (_) => '_',

    negative_literal: ($) => seq('-', choice($.integer, $.float)),

    tuple_pattern: ($) =>
      choice(
        seq('(', $._pattern, ',', trailingCommaSep($._pattern), ')'),
        seq('{', trailingCommaSep($._pattern), '}'),
      ),

    parenthesized_pattern: ($) => seq('(', $._pattern, ')'),

    // `Some(x)`, `Shape.Circle(r)`, `Shape.Dot`
    constructor_pattern: ($) =>
      choice(
        seq(field('constructor', choice($.identifier, $.qualified_name)), '(', trailingCommaSep($._pattern), ')'),
        field('constructor', $.qualified_name),
      ),

    qualified_name: ($) => seq($.identifier, repeat1(seq('.', $.identifier))),

    or_pattern: ($) => prec.left(1, seq(field('left', $._pattern), '|', field('right', $._pattern))),

    as_pattern: ($) => prec.left(2, seq(field('pattern', $._pattern), 'as', field('name', $.identifier))),

    cons_pattern: ($) => prec.right(3, seq(field('head', $._pattern), '::', field('tail', $._pattern))),

    // ---------------------------------------------------------------- types

    _type: ($) =>
      choice(
        typeId($),
        $.qualified_type,
        $.generic_type,
        $.tuple_type,
        $.unit_type,
        $.function_type,
        $.option_type,
        $.result_type,
      ),

    qualified_type: ($) => seq(typeId($), repeat1(seq('.', typeId($)))),

    generic_type: ($) =>
      seq(field('name', choice(typeId($), $.qualified_type)), field('arguments', $.type_arguments)),

    type_arguments: ($) => seq('<', commaSep1($._type), optional(','), '>'),

    tuple_type: ($) =>
      choice(seq('(', $._type, ',', trailingCommaSep($._type), ')'), seq('(', $._type, ')')),

    unit_type: (_) => seq('(', ')'),

    function_type: ($) =>
      prec.right(
        seq('Fun', '(', trailingCommaSep(field('parameter', $._type)), ')', '->', field('return_type', $._type)),
      ),

    option_type: ($) => prec(2, seq(field('type', $._type), '?')),

    result_type: ($) => prec.left(1, seq(field('ok', $._type), '!', field('error', $._type))),
  },
});
