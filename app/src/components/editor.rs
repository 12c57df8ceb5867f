//! The source editor for the selected file: a transparent textarea over a highlighted layer
//! (spans from the grammar's highlights.scm via core's Highlighter), with line numbers.
//! Each input is stored at once and analysed after a short pause (`Store::edit`); until then
//! the previous highlighting is carried over the edit so the text never lags the caret.

use crate::analysis::{byte_to_utf16, highlight_html, line_of, line_range, old_line_of, shift_spans, utf16_to_byte};
use crate::state::{use_store, File};
use leptos::html;
use leptos::prelude::*;

#[component]
pub fn Editor() -> impl IntoView {
    let store = use_store();
    let textarea = NodeRef::<html::Textarea>::new();
    let layer = NodeRef::<html::Pre>::new();
    let gutter = NodeRef::<html::Div>::new();

    let text = Memo::new(move |_| store.selected_file().map(|f| f.text).unwrap_or_default());
    // The engine's highlighting of the selected file as of its last run.
    let highlighted = Memo::new(move |_| {
        store.analysis.track();
        store.highlight(&store.selected.get()?)
    });
    let layer_html = move || {
        text.with(|t| match highlighted.get() {
            Some((source, spans)) if source == *t => highlight_html(t, &spans),
            Some((source, spans)) => highlight_html(t, &shift_spans(&source, t, &spans)),
            None => highlight_html(t, &[]),
        })
    };
    let line_count = Memo::new(move |_| text.with(|t| t.lines().count().max(1) + usize::from(t.ends_with('\n'))));
    let numbers = move || (1..=line_count.get()).map(|n| n.to_string()).collect::<Vec<_>>().join("\n");

    let on_input = move |ev| {
        let text = event_target_value(&ev);
        match store.selected.get_untracked() {
            Some(path) => store.edit(&path, text),
            // Typing into an empty project starts a scratch file.
            None => store.load(vec![File { path: "main.mpl".into(), text }]),
        }
        caret(store, textarea);
    };
    let on_scroll = move |_| sync_scroll(textarea, layer, gutter);
    

    // A focus (report item, diagnostic, tree node) selects its range and scrolls to it.
    // Only the focus is tracked: typing must not re-select it.
    Effect::new(move |_| {
        let Some(focus) = store.focus.get() else { return };
        let Some(el) = textarea.get() else { return };
        let Some(text) = store.files.with_untracked(|f| f.iter().find(|f| f.path == focus.path).map(|f| f.text.clone()))
        else {
            return;
        };
        let (start, end) = if focus.after {
            // A place in the rewritten file: select the original line it came from.
            store.analysis.with_untracked(|a| {
                let new_text = a.outcome.as_ref().and_then(|o| o.files.iter().find(|f| f.path == focus.path));
                let new_line = new_text.map_or(1, |f| line_of(&f.text, focus.start));
                let hunks = a.hunks.get(&focus.path).map_or(&[][..], Vec::as_slice);
                line_range(&text, old_line_of(hunks, new_line))
            })
        } else {
            (focus.start.min(text.len()), focus.end.min(text.len()))
        };
        if el.value() != text {
            el.set_value(&text);
        }
        let _ = el.focus();
        let _ = el.set_selection_range(byte_to_utf16(&text, start), byte_to_utf16(&text, end));
        // Lines do not wrap, so the scroll height divides evenly into lines.
        let lines = text.lines().count().max(1) as f64;
        let line_px = f64::from(el.scroll_height()) / lines;
        let top = (line_of(&text, start) as f64 - 1.0) * line_px - f64::from(el.client_height()) / 3.0;
        el.set_scroll_top(top.max(0.0) as i32);
        sync_scroll(textarea, layer, gutter);
        store.cursor.set(Some(start));
    });

    view! {
        <div class="editor-wrap">
            <div class="gutter" node_ref=gutter aria-hidden="true">{numbers}</div>
            <div class="code">
                <pre class="hl-layer" node_ref=layer aria-hidden="true" inner_html=layer_html></pre>
                <textarea
                    class="editor"
                    node_ref=textarea
                    data-testid="editor"
                    spellcheck="false"
                    autocomplete="off"
                    wrap="off"
                    placeholder="Type or paste Mesh code here"
                    prop:value=move || text.get()
                    on:input=on_input
                    on:scroll=on_scroll
                    on:keyup=move |_| caret(store, textarea)
                    on:click=move |_| caret(store, textarea)
                    on:select=move |_| caret(store, textarea)
                ></textarea>
            </div>
        </div>
    }
}

/// Records the caret (as a byte offset) so the tree panel can show its node.
fn caret(store: crate::state::Store, textarea: NodeRef<html::Textarea>) {
    let Some(el) = textarea.get_untracked() else { return };
    let Ok(Some(at)) = el.selection_start() else { return };
    let byte = utf16_to_byte(&el.value(), at);
    if store.cursor.get_untracked() != Some(byte) {
        store.cursor.set(Some(byte));
    }
}

fn sync_scroll(textarea: NodeRef<html::Textarea>, layer: NodeRef<html::Pre>, gutter: NodeRef<html::Div>) {
    let Some(el) = textarea.get_untracked() else { return };
    if let Some(l) = layer.get_untracked() {
        l.set_scroll_top(el.scroll_top());
        l.set_scroll_left(el.scroll_left());
    }
    if let Some(g) = gutter.get_untracked() {
        g.set_scroll_top(el.scroll_top());
    }
}
