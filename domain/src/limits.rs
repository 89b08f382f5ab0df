//! Sizes the server enforces on every document, whoever wrote it. Each bound is far above what a
//! real policy text needs and low enough that one hostile writer cannot exhaust the server.

/// Paragraphs in one document, deleted ones included (they stay as tombstones).
pub const MAX_PARAGRAPHS: usize = 10_000;
/// Length of one paragraph's text, in UTF-16 code units (what a browser counts).
pub const MAX_PARAGRAPH_LEN: usize = 20_000;
/// Length of a document title, in UTF-16 code units.
pub const MAX_TITLE_LEN: usize = 300;
/// Length of an order key, in bytes.
pub const MAX_ORDER_KEY: usize = 128;
/// Size of a Markdown import, in bytes.
pub const MAX_MARKDOWN_BYTES: usize = 2 * 1024 * 1024;
/// Size of one binary WebSocket frame (one sync message), in bytes.
pub const MAX_SYNC_FRAME_BYTES: usize = 4 * 1024 * 1024;
/// Size of one text WebSocket frame (a control message), in bytes.
pub const MAX_CONTROL_FRAME_BYTES: usize = 4 * 1024;
/// How far ahead a phase's deadline may be set, in days.
pub const MAX_DEADLINE_DAYS: i64 = 3 * 366;
/// Sync connections one document takes at once.
pub const MAX_PEERS_PER_DOCUMENT: usize = 5_000;
/// Sync connections open at once for one account, over all documents.
pub const MAX_SOCKETS_PER_ACCOUNT: usize = 16;
/// Anonymous sync connections open at once from one address (a venue's Wi-Fi puts a whole
/// room of readers behind one).
pub const MAX_ANONYMOUS_SOCKETS_PER_ADDRESS: usize = 200;
/// Control frames (presence) a connection may send per second, sustained; twice that in a burst.
pub const CONTROL_FRAMES_PER_SECOND: u32 = 30;
/// Sync frames a connection may send per second, sustained; twice that in a burst. Generous:
/// an editor acknowledges every change it receives, and in a document with hundreds of typists
/// that is hundreds a second.
pub const SYNC_FRAMES_PER_SECOND: u32 = 2_000;
/// Length of a display name in presence, in characters.
pub const MAX_NAME_CHARS: usize = 64;
/// Length of a login name, in characters.
pub const MAX_LOGIN_CHARS: usize = 254;
/// Length of a password, in bytes (a long password is hashed whole; this only bounds the work).
pub const MAX_PASSWORD_BYTES: usize = 1024;
/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Length of an affiliation, in characters.
pub const MAX_AFFILIATION_CHARS: usize = 200;
/// Length of a group name, in characters.
pub const MAX_GROUP_NAME_CHARS: usize = 200;
/// Days an invitation link stays valid, at most.
pub const MAX_INVITATION_DAYS: i64 = 90;
/// Longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 5_000;
/// Longest reason (for a stance, a response or a moderation), in characters.
pub const MAX_REASON_CHARS: usize = 2_000;

/// The most accounts one setting aside of stances names.
pub const MAX_SET_ASIDE: usize = 500;
/// Size of an archive a restore accepts, in bytes.
pub const MAX_ARCHIVE_BYTES: usize = 64 * 1024 * 1024;
