//! A missing `end` in the middle of a file: the error is reported at the block it leaves open,
//! and the items after it keep their structure (the next item keyword at column 1 ends the
//! block, see the grammar's `_item_newline`).

use mesh_rewrite::parse::parse;

const SOURCE: &str = "\
fn total(items) do
  let sum = 0
  for x in items do
    sum + x
  end

pub fn average(items) do
  total(items) / count(items)
end

type Shape do
  Dot
end
";

#[test]
fn missing_end_mid_file_is_reported_at_its_block() {
    let parsed = parse(SOURCE);
    let errors: Vec<_> = parsed
        .errors()
        .iter()
        .map(|e| (e.line, e.column, e.start_byte, e.end_byte, e.message.as_str()))
        .collect();
    // Line 1 column 17 is the `do` of `total`; byte 70 is where its `end` belongs: right after
    // the `end` of the `for`.
    assert_eq!(errors, [(1, 17, 70, 70, "missing `end` to close this `do`")]);
}

#[test]
fn items_after_a_missing_end_keep_their_structure() {
    let parsed = parse(SOURCE);
    assert_eq!(
        parsed.sexp(),
        "(source_file \
         (function_definition name: (identifier) parameters: (parameters (parameter pattern: (identifier))) body: (block \
         (let_statement pattern: (identifier) value: (integer)) \
         (for_expression pattern: (identifier) iterable: (identifier) body: (block \
         (binary_expression left: (identifier) right: (identifier)))) \
         (MISSING \"end\"))) \
         (function_definition name: (identifier) parameters: (parameters (parameter pattern: (identifier))) body: (block \
         (binary_expression \
         left: (call function: (identifier) arguments: (arguments (identifier))) \
         right: (call function: (identifier) arguments: (arguments (identifier)))))) \
         (type_definition name: (identifier) body: (variant_list (variant name: (identifier)))))"
    );
}

#[test]
fn an_unindented_module_body_is_not_a_missing_end() {
    // Items at column 1 are expected inside module (and actor, service, interface, impl) bodies.
    let parsed = parse("module M do\nfn a() do 1 end\ntype T = Int\nend\n");
    assert_eq!(parsed.errors(), &[]);
}
