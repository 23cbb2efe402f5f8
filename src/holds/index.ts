/**
 * Holds on collection: disputes, promises to pay, telephone conversations and requests to cease
 * communication. Each is stored here; the planner honours them through delivery/planning-context.
 */
export { cancelScheduledContact } from './cancel-contact.js';
export { requestCeaseCommunication, type CeaseOutcome } from './cease.js';
export { CONVERSATION_KIND, recordConversation, type ConversationOutcome } from './conversations.js';
export { openDispute, resolveDispute, type DisputeOutcome, type DisputeView } from './disputes.js';
export { loadHoldsView, type HoldsView } from './holds-view.js';
export { MAX_PROMISE_DAYS, recordPromise, type PromiseOutcome, type PromiseView } from './promises.js';
export { CeaseInput, ConversationInput, DisputeInput, PROMISE_SOURCES, PromiseInput, ResolveDisputeInput } from './schemas.js';
export { settlePromises } from './settle-promises.js';
export { applyHolds, loadHolds, type HeldContext, type PageHolds } from './planning-holds.js';
