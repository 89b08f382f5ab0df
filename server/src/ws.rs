//! The sync WebSocket: moves frames between a socket and the document's room.
//!
//! Binary frames are automerge sync messages and go to the room untouched; text frames are JSON
//! control messages. Frames over the documented limits are refused here, before they are
//! buffered further. The logic is generic over any `Stream`/`Sink` of axum messages so that it
//! does not care what carries them.

use std::num::NonZeroU32;

use axum::extract::ws::{CloseFrame, Message, Utf8Bytes};
use domain::api::{ErrorCode, ServerFrame};
use futures::{Sink, SinkExt, Stream, StreamExt};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use tokio::sync::mpsc;

use accord_core::{
    relay::{Frame, Refusal},
    rooms::{Admission, Outgoing, PeerInfo, RoomError, Rooms, PEER_QUEUE},
};
use domain::limits;

/// Sends a close frame with `code` and `reason`, then closes.
async fn close<S>(sink: &mut S, code: u16, reason: &'static str)
where
    S: Sink<Message> + Unpin,
{
    let frame = CloseFrame {
        code,
        reason: Utf8Bytes::from_static(reason),
    };
    let _ = sink.send(Message::Close(Some(frame))).await;
    let _ = sink.close().await;
}

fn to_message(frame: Frame) -> Message {
    match frame {
        Frame::Binary(b) => Message::Binary(b),
        // Control frames are serialised JSON, so always UTF-8.
        Frame::Text(b) => Message::Text(Utf8Bytes::try_from(b).unwrap_or_default()),
    }
}

fn error_message(code: ErrorCode, message: String) -> Message {
    to_message(Frame::control(&ServerFrame::Error { code, message }))
}

/// Frames a connection may send: `rate` a second sustained, twice that in a burst.
fn frame_limiter(rate: u32) -> DefaultDirectRateLimiter {
    let rate = NonZeroU32::new(rate).unwrap_or(NonZeroU32::MIN);
    let burst = rate.saturating_mul(NonZeroU32::MIN.saturating_add(1));
    RateLimiter::direct(Quota::per_second(rate).allow_burst(burst))
}

/// Serves one connection until either side closes it; `admission` holds its place under the
/// connection caps until then.
pub async fn serve<S, E>(
    socket: S,
    rooms: Rooms,
    doc_id: String,
    peer: PeerInfo,
    admission: Admission,
) where
    S: Stream<Item = Result<Message, E>> + Sink<Message> + Send + Unpin + 'static,
    <S as Sink<Message>>::Error: std::fmt::Display,
{
    let (mut sink, mut stream) = socket.split();
    let (out_tx, mut out_rx) = mpsc::channel::<Outgoing>(PEER_QUEUE);
    let closer = out_tx.clone();
    let conn = match rooms.join(&doc_id, peer, out_tx).await {
        Ok(c) => c,
        Err(e) => {
            let (code, message) = match e {
                RoomError::NotFound(_) => (ErrorCode::NotFound, e.to_string()),
                other => {
                    tracing::error!(doc = %doc_id, "join failed: {other}");
                    (ErrorCode::Internal, "something went wrong".to_string())
                }
            };
            let _ = sink.send(error_message(code, message)).await;
            let _ = sink.close().await;
            return;
        }
    };

    let writer = tokio::spawn(async move {
        while let Some(out) = out_rx.recv().await {
            match out {
                Outgoing::Frame(f) => {
                    if sink.send(to_message(f)).await.is_err() {
                        return;
                    }
                }
                // The client reconnects, to another process.
                Outgoing::GoingAway => {
                    close(&mut sink, 1001, "server restarting; reconnect").await;
                    return;
                }
                Outgoing::Close(last) => {
                    if let Some(f) = last {
                        let _ = sink.send(to_message(f)).await;
                    }
                    close(&mut sink, 1008, "refused").await;
                    return;
                }
            }
        }
        let _ = sink.close().await;
    });

    let mut writer = writer;
    let sync_frames = frame_limiter(limits::SYNC_FRAMES_PER_SECOND);
    let control_frames = frame_limiter(limits::CONTROL_FRAMES_PER_SECOND);
    loop {
        let msg = tokio::select! {
            msg = stream.next() => msg,
            // The room closed this connection (a refusal, or too slow): stop taking messages,
            // but finish the closing handshake before the socket goes.
            _ = &mut writer => {
                drain(stream).await;
                return;
            }
        };
        let within = match &msg {
            Some(Ok(Message::Binary(_))) => sync_frames.check().is_ok(),
            Some(Ok(Message::Text(_))) => control_frames.check().is_ok(),
            _ => true,
        };
        if !within {
            // Flooding: tell the client why, close, and read no more of what it sends.
            let flooding = Refusal {
                code: ErrorCode::Overloaded,
                message: "too many frames; slow down and reconnect".into(),
            };
            let _ = closer.try_send(Outgoing::Close(Some(flooding.frame())));
            drop(closer);
            drop(conn);
            let _ = writer.await;
            drain(stream).await;
            drop(admission);
            return;
        }
        let delivered = match msg {
            Some(Ok(Message::Binary(bytes))) => conn.sync(bytes).await,
            Some(Ok(Message::Text(text))) => conn.control(text.to_string()).await,
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => true,
            Some(Ok(Message::Close(_)) | Err(_)) | None => false,
        };
        if !delivered {
            break;
        }
    }
    drop(conn);
    // The writer ends when the room lets go of this connection's queue; ours must go too.
    drop(closer);
    let _ = writer.await;
    drop(admission);
}

/// How long a refused client has to answer the server's close frame.
const CLOSING: std::time::Duration = std::time::Duration::from_secs(2);

/// Reads and discards what the client still sends until it answers the close frame (or goes,
/// or [`CLOSING`] passes). Dropping a socket with unread data makes the operating system reset
/// the connection, and a reset can discard the error frame the client has not read yet, so
/// it would never learn why it was refused.
async fn drain<S, E>(mut stream: S)
where
    S: Stream<Item = Result<Message, E>> + Unpin,
{
    let _ = tokio::time::timeout(CLOSING, async {
        while let Some(Ok(msg)) = stream.next().await {
            if matches!(msg, Message::Close(_)) {
                break;
            }
        }
    })
    .await;
}
