//! What the server-rendered pages need from the server, as a trait the server implements. The
//! app crate stays free of SQL and sockets; the server provides a [`BackendHandle`] as context.

use std::{future::Future, pin::Pin, sync::Arc};

use domain::api::{
    AmendmentFilter, AmendmentView, CreateDocument, CreateGroup, CreateInvitation, Created, Decide,
    DocumentDetail, DocumentFeedback, DocumentSummary, EditComment, Group, GroupPage, Hide,
    InvitationCreated, Login, Me, MembershipView, NewAmendment, NewComment, ProfileUpdate,
    Register, Respond, Role, SetPhase, SetStance, Thread,
};
use domain::api::{Comparison, Endorse, NewVersion, ParagraphHistory, Version, VersionSummary};

/// A write about amendments, as the pages' forms make them.
#[derive(Clone, Debug)]
pub enum AmendmentWrite {
    Propose(NewAmendment),
    Decide { amendment: i64, decide: Decide },
    Withdraw { amendment: i64 },
    Sponsor { amendment: i64 },
    Stance { amendment: i64, stance: SetStance },
}

/// A write of feedback on a document, as the pages' forms make them.
#[derive(Clone, Debug)]
pub enum FeedbackWrite {
    Comment {
        paragraph: String,
        comment: NewComment,
    },
    Edit {
        comment: i64,
        edit: EditComment,
    },
    Stance {
        paragraph: String,
        stance: SetStance,
    },
    RespondToComment {
        comment: i64,
        respond: Respond,
    },
    RespondToObjection {
        objection: i64,
        respond: Respond,
    },
    Hide {
        comment: i64,
        hide: Hide,
    },
}

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
    fn update_profile(
        &self,
        headers: Headers,
        u: ProfileUpdate,
    ) -> BoxFuture<'_, Result<Me, BackendError>>;
    fn group_page(
        &self,
        headers: Headers,
        group: String,
    ) -> BoxFuture<'_, Result<GroupPage, BackendError>>;
    fn create_group(
        &self,
        headers: Headers,
        g: CreateGroup,
    ) -> BoxFuture<'_, Result<Group, BackendError>>;
    fn invite(
        &self,
        headers: Headers,
        group: String,
        inv: CreateInvitation,
    ) -> BoxFuture<'_, Result<InvitationCreated, BackendError>>;
    fn revoke_invitation(
        &self,
        headers: Headers,
        group: String,
        invitation: String,
    ) -> BoxFuture<'_, Result<(), BackendError>>;
    /// Sets a member's role (`Reader` removes them).
    fn set_role(
        &self,
        headers: Headers,
        group: String,
        account: String,
        role: Role,
    ) -> BoxFuture<'_, Result<(), BackendError>>;
    fn accept_invitation(
        &self,
        headers: Headers,
        token: String,
    ) -> BoxFuture<'_, Result<MembershipView, BackendError>>;
    /// The consensus map of a document.
    fn feedback(
        &self,
        headers: Headers,
        doc: String,
    ) -> BoxFuture<'_, Result<DocumentFeedback, BackendError>>;
    /// One paragraph's feedback as the requester sees it.
    fn thread(
        &self,
        headers: Headers,
        doc: String,
        paragraph: String,
    ) -> BoxFuture<'_, Result<Thread, BackendError>>;
    fn write_feedback(
        &self,
        headers: Headers,
        doc: String,
        write: FeedbackWrite,
    ) -> BoxFuture<'_, Result<(), BackendError>>;
    fn amendments(
        &self,
        headers: Headers,
        doc: String,
        filter: AmendmentFilter,
    ) -> BoxFuture<'_, Result<Vec<AmendmentView>, BackendError>>;
    fn write_amendment(
        &self,
        headers: Headers,
        doc: String,
        write: AmendmentWrite,
    ) -> BoxFuture<'_, Result<(), BackendError>>;
    fn set_phase(
        &self,
        headers: Headers,
        doc: String,
        phase: SetPhase,
    ) -> BoxFuture<'_, Result<(), BackendError>>;
    fn versions(
        &self,
        headers: Headers,
        doc: String,
    ) -> BoxFuture<'_, Result<Vec<VersionSummary>, BackendError>>;
    fn version(
        &self,
        headers: Headers,
        doc: String,
        name: String,
    ) -> BoxFuture<'_, Result<Version, BackendError>>;
    fn compare(
        &self,
        headers: Headers,
        doc: String,
        from: String,
        to: String,
    ) -> BoxFuture<'_, Result<Comparison, BackendError>>;
    fn cut_version(
        &self,
        headers: Headers,
        doc: String,
        version: NewVersion,
    ) -> BoxFuture<'_, Result<(), BackendError>>;
    fn paragraph_history(
        &self,
        headers: Headers,
        doc: String,
        paragraph: String,
    ) -> BoxFuture<'_, Result<ParagraphHistory, BackendError>>;
    /// Endorses the closed text (`Some`) or withdraws the caller's endorsement (`None`).
    fn endorse(
        &self,
        headers: Headers,
        doc: String,
        endorse: Option<Endorse>,
    ) -> BoxFuture<'_, Result<(), BackendError>>;
}

#[derive(Clone)]
pub struct BackendHandle(pub Arc<dyn Backend>);
