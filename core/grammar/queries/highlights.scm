; Mesh syntax highlighting.
;
; Engines disagree on which pattern wins when several capture the same node: the first
; (Helix, this repo's core::highlight) or the last (tree-sitter-highlight, Neovim). So the
; identifier patterns come twice around the catch-all `(identifier) @variable`: most
; specific first, then the same list reversed. Keep the two lists mirror images
; (bindings/rust/lib.rs tests that both rules give the same highlights).

; ---------------------------------------------------------------- identifiers, most specific first

(call function: (field_access field: (identifier) @function.call))
(call function: (identifier) @function.call)
(field_access field: (identifier) @property)
(keyword_argument name: (identifier) @property)
(field_initializer name: (identifier) @property)
(field_declaration name: (identifier) @property)
(supervisor_option key: (identifier) @property)
(map_entry key: (identifier) @property)
(struct_option name: (identifier) @keyword)
(struct_literal name: (identifier) @type)
(constructor_pattern constructor: (identifier) @constructor)
(constructor_pattern constructor: (qualified_name (identifier) @constructor))
(variant name: (identifier) @constructor)
(function_definition name: (identifier) @function)
(function_signature name: (identifier) @function)
(call_handler name: (identifier) @function)
(cast_handler name: (identifier) @function)
(import_list (identifier) @function)
(actor_definition name: (identifier) @type)
(service_definition name: (identifier) @type)
(supervisor_definition name: (identifier) @type)
(struct_definition name: (identifier) @type)
(type_definition name: (identifier) @type)
(type_alias name: (identifier) @type)
(associated_type name: (identifier) @type)
(interface_definition name: (identifier) @type)
(module_definition name: (identifier) @module)
(module_path (identifier) @module)
(child_spec name: (identifier) @variable)
(parameter pattern: (identifier) @variable.parameter)
((identifier) @type
  (#match? @type "^[A-Z]"))

; ---------------------------------------------------------------- identifiers, catch-all

(identifier) @variable

; ---------------------------------------------------------------- identifiers, most specific last

((identifier) @type
  (#match? @type "^[A-Z]"))
(parameter pattern: (identifier) @variable.parameter)
(child_spec name: (identifier) @variable)
(module_path (identifier) @module)
(module_definition name: (identifier) @module)
(interface_definition name: (identifier) @type)
(associated_type name: (identifier) @type)
(type_alias name: (identifier) @type)
(type_definition name: (identifier) @type)
(struct_definition name: (identifier) @type)
(supervisor_definition name: (identifier) @type)
(service_definition name: (identifier) @type)
(actor_definition name: (identifier) @type)
(import_list (identifier) @function)
(cast_handler name: (identifier) @function)
(call_handler name: (identifier) @function)
(function_signature name: (identifier) @function)
(function_definition name: (identifier) @function)
(variant name: (identifier) @constructor)
(constructor_pattern constructor: (qualified_name (identifier) @constructor))
(constructor_pattern constructor: (identifier) @constructor)
(struct_literal name: (identifier) @type)
(struct_option name: (identifier) @keyword)
(map_entry key: (identifier) @property)
(supervisor_option key: (identifier) @property)
(field_declaration name: (identifier) @property)
(field_initializer name: (identifier) @property)
(keyword_argument name: (identifier) @property)
(field_access field: (identifier) @property)
(call function: (identifier) @function.call)
(call function: (field_access field: (identifier) @function.call))

; ---------------------------------------------------------------- everything else (no overlaps)

(self) @variable.builtin
(wildcard) @variable.builtin
(type_identifier) @type
(function_type "Fun" @type.builtin)

(string) @string
(escape_sequence) @string.escape
(interpolation) @embedded
(integer) @number
(float) @number
(atom) @constant
(boolean) @constant.builtin
(nil) @constant.builtin
(comment) @comment

[
  "fn" "def" "pub" "module" "import" "from" "struct" "type" "interface" "impl" "for"
  "actor" "service" "supervisor" "call" "cast" "receive" "after" "terminate" "child"
  "do" "end" "if" "else" "case" "match" "when" "where" "in" "while" "let"
  "return" "deriving" "as"
] @keyword

[(break_expression) (continue_expression)] @keyword

["and" "or" "not"] @keyword.operator

[
  "+" "-" "*" "/" "%" "<>" "++" ".." "<" ">" "<=" ">=" "==" "!=" "&&" "||" "|>" "!"
  "=" "->" "=>" "::" "|" "?"
] @operator

; `${ }` delimiters are not brackets: only interpolation uses `${`, and its `}` is
; captured by the interpolation pattern alone.
(interpolation
  "${" @punctuation.special
  "}" @punctuation.special)
(list ["[" "]"] @punctuation.bracket)
(index_expression ["[" "]"] @punctuation.bracket)
["(" ")" "%{"] @punctuation.bracket
(map "}" @punctuation.bracket)
(map_update "}" @punctuation.bracket)
(struct_literal ["{" "}"] @punctuation.bracket)
(tuple_pattern ["{" "}"] @punctuation.bracket)
["," "." ":" ";"] @punctuation.delimiter
