//! The source editor for the selected file: a transparent textarea over a highlighted layer
//! (spans from the grammar's highlights.scm via core's Highlighter), with line numbers.
//! Each input is stored at once and analysed after a short pause (`Store::edit`); until then
//! the previous highlighting is carried over the edit so the text never lags the caret.

use crate::analysis::{
    byte_to_utf16, derive_name, error_marks_html, highlight_lines, line_of, line_range, old_line_of, shift_spans,
    tenths, utf16_to_byte, widest_line_ch,
};
use crate::state::{use_store, File};
use leptos::html;
use leptos::prelude::*;

/// The editor's line height in CSS pixels (a.css `.editor-wrap`: 13px, line-height 1.5); lines never
/// wrap, so line n starts at (n - 1) × this.
const LINE_PX: f64 = 19.5;
/// How long after a typed key its caret is read (the report's and the tree's pace, state.rs SETTLE_MS).
const CARET_MS: u32 = 250;
/// The highlighted layer draws the lines in view and this many more on each side, moving in steps
/// of this many lines: scrolling within a step redraws nothing.
const STEP_LINES: usize = 40;

#[component]
pub fn Editor() -> impl IntoView {
    let store = use_store();
    let textarea = NodeRef::<html::Textarea>::new();
    let layer = NodeRef::<html::Pre>::new();
    let gutter = NodeRef::<html::Div>::new();
    let marks = NodeRef::<html::Pre>::new();
    // The syntax error under the mouse or the caret: `LINE:COL message`.
    let tip = RwSignal::new(None::<String>);

    let text = Memo::new(move |_| store.selected_file().map(|f| f.text).unwrap_or_default());
    // The engine's highlighting of the selected file as of its last run.
    let highlighted = Memo::new(move |_| {
        store.analysis.track();
        store.highlight(&store.selected.get()?)
    });
    // The lines the layer draws (0-based): those in view and a step more each side. A 1,000-line
    // file costs the lines on screen, not 1,000 boxes to style, lay out and paint per keystroke.
    let window = RwSignal::new(0..3 * STEP_LINES);
    let follow_scroll = move || {
        let Some(el) = textarea.get_untracked() else { return };
        let first = (f64::from(el.scroll_top()) / LINE_PX) as usize;
        let shown = (f64::from(el.client_height()) / LINE_PX).ceil() as usize + 1;
        let start = (first / STEP_LINES).saturating_sub(1) * STEP_LINES;
        let end = (first + shown).div_ceil(STEP_LINES) * STEP_LINES + STEP_LINES;
        if window.with_untracked(|w| *w != (start..end)) {
            window.set(start..end);
        }
    };
    let _resize = window_event_listener(leptos::ev::resize, move |_| follow_scroll());
    request_animation_frame(follow_scroll);
    // Line by line, keyed by number and HTML: a keystroke re-creates its own line only (a new
    // line, the lines after it).
    let layer_lines = Memo::new(move |_| {
        let window = window.get();
        let lines = text.with(|t| match highlighted.get() {
            Some((source, spans)) if source == *t => highlight_lines(t, &spans, window.clone()),
            Some((source, spans)) => highlight_lines(t, &shift_spans(&source, t, &spans), window.clone()),
            None => highlight_lines(t, &[], window.clone()),
        });
        lines.into_iter().enumerate().map(|(i, line)| (window.start + i, line)).collect::<Vec<_>>()
    });
    // Syntax errors of the last run, underlined in place while the text is the one it parsed.
    let marks_html = move || {
        let path = store.selected.get()?;
        let (source, _) = highlighted.get()?;
        text.with(|t| {
            (source == *t).then(|| store.analysis.with(|a| a.errors.get(&path).map(|e| error_marks_html(t, e))))
        })
        .flatten()
        .filter(|_| store.analysis.with(|a| a.errors.get(&path).is_some_and(|e| !e.is_empty())))
    };
    // A file the rewrite creates is selected for its diff; it has no text of its own to edit.
    let created = move || {
        store.selected.get().is_some_and(|p| store.files.with(|f| !f.is_empty() && !f.iter().any(|f| f.path == p)))
    };
    let line_count = Memo::new(move |_| text.with(|t| t.lines().count().max(1) + usize::from(t.ends_with('\n'))));
    let numbers = move || (1..=line_count.get()).map(|n| n.to_string()).collect::<Vec<_>>().join("\n");
    // Room for the lines the layer does not draw, so it scrolls as far as the textarea, down and across.
    let px = |lines: usize| format!("{}px", tenths(lines as f64 * LINE_PX));
    let above = move || px(window.with(|w| w.start.min(line_count.get())));
    let below = move || px(line_count.get().saturating_sub(window.with(|w| w.end)));
    let widest = Memo::new(move |_| text.with(|t| widest_line_ch(t)));
    let digits = move || line_count.get().to_string().len().max(2);

    let on_caret = move || {
        caret(store, textarea);
        tip.set(mark_at_caret(store, textarea));
    };
    // A key that typed (rather than moved the caret) leaves its caret to `caret_later`.
    let typed = StoredValue::new(false);
    let caret_later = StoredValue::new_local(None::<gloo_timers::callback::Timeout>);
    let on_input = move |ev| {
        let text = event_target_value(&ev);
        match store.selected.get_untracked() {
            Some(path) => store.edit(&path, text),
            // Typing or pasting into an empty project starts a file named after its first function.
            None => {
                let path = derive_name(&text);
                store.load(vec![File { path: path.clone(), text }]);
                store.notify(
                    crate::state::Level::Info,
                    format!("Named the code {path}; rename it with ✎ in the file list"),
                );
            }
        }
        // The caret of a typed key is read once typing pauses, when the tree and the report follow:
        // reading it lays the page out, which would cost each keystroke a layout of its own.
        typed.set_value(true);
        caret_later.set_value(Some(gloo_timers::callback::Timeout::new(CARET_MS, move || {
            typed.set_value(false);
            on_caret();
        })));
    };
    let on_scroll = move |_| {
        follow_scroll();
        sync_scroll(textarea, layer, gutter);
        sync_marks(textarea, marks);
    };

    // Hovering an underlined error shows its message (the textarea is on top of the marks).
    let on_hover = move |ev: leptos::ev::MouseEvent| {
        let hit = mark_at_point(textarea, marks, &ev);
        if let Some(el) = textarea.get_untracked() {
            let _ = el.set_attribute("title", hit.as_deref().unwrap_or(""));
        }
        if hit.is_some() || tip.with_untracked(Option::is_some) {
            tip.set(hit.or_else(|| mark_at_caret(store, textarea)));
        }
    };


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
        sync_marks(textarea, marks);
        store.cursor.set(Some(start));
    });

    view! {
        <div class="editor-wrap">
            <div class="gutter" node_ref=gutter aria-hidden="true" style:--digits=move || digits().to_string()>{numbers}</div>
            <div class="code">
                <pre class="hl-layer" node_ref=layer aria-hidden="true">
                    <div class="hl-room" style:height=above></div>
                    <For each=move || layer_lines.get() key=|line| line.clone() let:line>
                        <div class="hl-line" inner_html=line.1></div>
                    </For>
                    <div class="hl-room" style:height=below style:min-width=move || format!("{}ch", widest.get())></div>
                </pre>
                <pre class="err-layer" node_ref=marks aria-hidden="true" inner_html=move || marks_html().unwrap_or_default()></pre>
                <textarea
                    class="editor"
                    node_ref=textarea
                    data-testid="editor"
                    spellcheck="false"
                    autocomplete="off"
                    wrap="off"
                    placeholder=move || if created() { "Created by the rewrite: see it in the diff" } else { "Type or paste Mesh code here" }
                    readonly=created
                    prop:value=move || text.get()
                    on:input=on_input
                    on:scroll=on_scroll
                    on:keyup=move |_| if !typed.get_value() { on_caret() }
                    on:click=move |_| on_caret()
                    on:select=move |_| on_caret()
                    on:focus=move |_| on_caret()
                    on:blur=move |_| tip.set(None)
                    on:mousemove=on_hover
                    on:mouseleave=move |_| tip.set(None)
                ></textarea>
                <Show when=move || tip.with(Option::is_some)>
                    <div class="editor-tip" data-testid="editor-error" role="status">{move || tip.get()}</div>
                </Show>
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

fn sync_marks(textarea: NodeRef<html::Textarea>, marks: NodeRef<html::Pre>) {
    let (Some(el), Some(m)) = (textarea.get_untracked(), marks.get_untracked()) else { return };
    m.set_scroll_top(el.scroll_top());
    m.set_scroll_left(el.scroll_left());
}

/// The message of the error mark under the mouse, if any. The marks layer and the textarea have
/// the same box and padding, so the event's offset plus the scroll is a position in the layer.
fn mark_at_point(textarea: NodeRef<html::Textarea>, marks: NodeRef<html::Pre>, ev: &leptos::ev::MouseEvent) -> Option<String> {
    use wasm_bindgen::JsCast;
    let (ta, layer) = (textarea.get_untracked()?, marks.get_untracked()?);
    let x = f64::from(ev.offset_x() + ta.scroll_left());
    let y = f64::from(ev.offset_y() + ta.scroll_top());
    let mut next = layer.first_element_child();
    while let Some(el) = next {
        next = el.next_element_sibling();
        let Ok(mark) = el.dyn_into::<web_sys::HtmlElement>() else { continue };
        let (left, top) = (f64::from(mark.offset_left()), f64::from(mark.offset_top()));
        let (width, height) = (f64::from(mark.offset_width()).max(6.0), f64::from(mark.offset_height()));
        // A little slack below: the underline sits under the text.
        if x >= left && x <= left + width && y >= top && y <= top + height + 3.0 {
            return mark.get_attribute("data-message");
        }
    }
    None
}

/// The error at the caret (inside it or at either end), as `LINE:COL message`.
fn mark_at_caret(store: crate::state::Store, textarea: NodeRef<html::Textarea>) -> Option<String> {
    let el = textarea.get_untracked()?;
    let at = el.selection_start().ok()??;
    let path = store.selected.get_untracked()?;
    let text = el.value();
    let byte = utf16_to_byte(&text, at);
    store.analysis.with_untracked(|a| {
        let errors = a.errors.get(&path)?;
        // Only while the errors are about this very text.
        store.with_parsed(&path, |p| p.source() == text).filter(|same| *same)?;
        errors
            .iter()
            .find(|e| e.start_byte <= byte && byte <= e.end_byte.max(e.start_byte + 1))
            .map(|e| format!("{}:{} {}", e.line, e.column, e.message))
    })
}
