//! What the server-rendered pages need from the server, as a trait the server implements. The
//! app crate stays free of SQL and sockets; the server provides a [`BackendHandle`] as context.

use std::{future::Future, pin::Pin, sync::Arc};

use crate::api::{CreateDocument, Created, DocumentDetail, DocumentSummary, Login, Me, Register};

/// The request's headers: the backend finds the requester (session cookie) in them.
pub type Headers = http::HeaderMap;

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
    fn document(
        &self,
        headers: Headers,
        id: String,
    ) -> BoxFuture<'_, Result<DocumentDetail, BackendError>>;
    fn create_document(
        &self,
        headers: Headers,
        req: CreateDocument,
    ) -> BoxFuture<'_, Result<Created, BackendError>>;
    /// The signed-in account, if any.
    fn me(&self, headers: Headers) -> BoxFuture<'_, Result<Option<Me>, BackendError>>;
    /// Signs in; returns the `Set-Cookie` value.
    fn login(&self, headers: Headers, login: Login) -> BoxFuture<'_, Result<String, BackendError>>;
    /// Creates an account and signs it in; returns the `Set-Cookie` value.
    fn register(
        &self,
        headers: Headers,
        r: Register,
    ) -> BoxFuture<'_, Result<String, BackendError>>;
    /// Signs out; returns the `Set-Cookie` value that clears the cookie.
    fn logout(&self, headers: Headers) -> BoxFuture<'_, Result<String, BackendError>>;
}

#[derive(Clone)]
pub struct BackendHandle(pub Arc<dyn Backend>);
