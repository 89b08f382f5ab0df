//! What the server-rendered pages need from the server, as a trait the server implements. The
//! app crate stays free of SQL and sockets; the server provides a [`BackendHandle`] as context.

use std::{future::Future, pin::Pin, sync::Arc};

use crate::api::{CreateDocument, Created, DocumentDetail, DocumentSummary};

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A failure a page can show: `Invalid` in the user's words, `Internal` only as "something went
/// wrong".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackendError {
    NotFound(String),
    Invalid(String),
    Internal,
}

pub trait Backend: Send + Sync + 'static {
    fn list_documents(&self) -> BoxFuture<'_, Result<Vec<DocumentSummary>, BackendError>>;
    fn document(&self, id: String) -> BoxFuture<'_, Result<DocumentDetail, BackendError>>;
    fn create_document(&self, req: CreateDocument) -> BoxFuture<'_, Result<Created, BackendError>>;
}

#[derive(Clone)]
pub struct BackendHandle(pub Arc<dyn Backend>);
