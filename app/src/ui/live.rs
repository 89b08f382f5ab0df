//! A listener on a document's WebSocket for pages that show its feedback but not its text (the
//! consensus map): it watches (`?watch=true`), so the server sends it no text, only news.
//! Reconnects after a pause when the connection drops.

use std::{cell::RefCell, collections::HashMap, rc::Rc};

use wasm_bindgen::{prelude::*, JsCast};
use web_sys::{MessageEvent, WebSocket};

use domain::api::{ParagraphConsensus, ServerFrame};

type OnFeedback = Rc<dyn Fn(ParagraphConsensus)>;

struct Watch {
    doc_id: String,
    on_feedback: OnFeedback,
    ws: Option<WebSocket>,
    // Kept alive as long as the socket.
    _handlers: Vec<Closure<dyn FnMut(web_sys::Event)>>,
}

thread_local! {
    static WATCHES: RefCell<HashMap<u32, Watch>> = RefCell::new(HashMap::new());
    static NEXT: RefCell<u32> = const { RefCell::new(1) };
    static TIMERS: RefCell<HashMap<&'static str, i32>> = RefCell::new(HashMap::new());
}

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// Starts listening; `on_feedback` gets every paragraph's new figures. Returns the function that
/// stops it (for `on_cleanup`).
pub fn watch(
    doc_id: String,
    on_feedback: impl Fn(ParagraphConsensus) + 'static,
) -> impl FnOnce() + Send + Sync + 'static {
    let id = NEXT.with(|n| {
        let mut n = n.borrow_mut();
        *n += 1;
        *n
    });
    WATCHES.with(|w| {
        w.borrow_mut().insert(
            id,
            Watch {
                doc_id,
                on_feedback: Rc::new(on_feedback),
                ws: None,
                _handlers: Vec::new(),
            },
        )
    });
    connect(id);
    move || {
        let gone = WATCHES.with(|w| w.borrow_mut().remove(&id));
        if let Some(ws) = gone.and_then(|w| w.ws) {
            close(&ws);
        }
    }
}

fn connect(id: u32) {
    let Some(doc_id) = WATCHES.with(|w| w.borrow().get(&id).map(|w| w.doc_id.clone())) else {
        return;
    };
    let Some(location) = window().map(|w| w.location()) else {
        return;
    };
    let proto = if location.protocol().ok().as_deref() == Some("https:") {
        "wss"
    } else {
        "ws"
    };
    let host = location.host().unwrap_or_default();
    let Ok(ws) = WebSocket::new(&format!(
        "{proto}://{host}/api/v1/documents/{doc_id}/sync?watch=true"
    )) else {
        return;
    };
    let on_message = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
        let Some(text) = e
            .dyn_into::<MessageEvent>()
            .ok()
            .and_then(|m| m.data().as_string())
        else {
            return;
        };
        if let Ok(ServerFrame::Feedback { consensus }) = serde_json::from_str(&text) {
            let callback = WATCHES.with(|w| w.borrow().get(&id).map(|w| w.on_feedback.clone()));
            if let Some(f) = callback {
                f(consensus);
            }
        }
    });
    let on_close = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
        let still_watching = WATCHES.with(|w| w.borrow().contains_key(&id));
        if still_watching {
            later(2000, move || connect(id));
        }
    });
    ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    WATCHES.with(|w| {
        if let Some(watch) = w.borrow_mut().get_mut(&id) {
            watch.ws = Some(ws);
            watch._handlers = vec![on_message, on_close];
        }
    });
}

/// Closes a socket whose handlers are about to be dropped: they are taken off it first, or its
/// `close` event would call a dropped closure ("closure invoked recursively or after being
/// dropped", thrown on leaving a document).
pub fn close(ws: &WebSocket) {
    ws.set_onopen(None);
    ws.set_onmessage(None);
    ws.set_onclose(None);
    ws.set_onerror(None);
    let _ = ws.close();
}

fn later(ms: i32, f: impl FnOnce() + 'static) -> Option<i32> {
    let cb = Closure::once_into_js(f);
    window()?
        .set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), ms)
        .ok()
}

/// Runs `f` once `ms` have passed without another call under the same `key`.
pub fn debounce(key: &'static str, ms: i32, f: impl FnOnce() + 'static) {
    if let (Some(w), Some(t)) = (window(), TIMERS.with(|t| t.borrow_mut().remove(key))) {
        w.clear_timeout_with_handle(t);
    }
    if let Some(t) = later(ms, move || {
        TIMERS.with(|t| t.borrow_mut().remove(key));
        f();
    }) {
        TIMERS.with(|timers| timers.borrow_mut().insert(key, t));
    }
}
