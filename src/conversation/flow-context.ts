import type { ContentScanner } from '../compliance/scanner/index.js';
import type { Config } from '../config.js';
import type { Clock } from '../core/clock.js';
import type { LinkSigner } from '../core/signed-links.js';
import type { Db } from '../db/database.js';
import type { Channel } from '../db/schema.js';
import type { PiiVault } from '../compliance/pii-vault.js';
import type { CompiledPolicy } from '../strategy/index.js';
import type { AccountCustomer } from './account.js';
import type { AssistantLocale, AssistantTexts } from './assistant-texts.js';
import type { NluResult, ParseOptions } from './nlu/types.js';
import type { ReplyChannel } from './render.js';
import type { Session } from './session.js';

/** The NLU entry point (src/conversation/nlu `parse`), injected so the assistant does not train a model per test. */
export type Understand = (text: string, options: ParseOptions) => NluResult | Promise<NluResult>;

export interface AssistantDeps {
  db: Db;
  vault: PiiVault;
  clock: Clock;
  links: LinkSigner;
  config: Config;
  readonly policy: CompiledPolicy;
  understand: Understand;
  /** The compliance gate every outbound word passes; the assistant's replies too. */
  readonly scanner: ContentScanner;
}

/** Everything one turn of the conversation works with. */
export interface FlowContext {
  deps: AssistantDeps;
  now: Date;
  customer: AccountCustomer;
  session: Session;
  /** Where the message came from and where the answer is shown. */
  channel: ReplyChannel;
  /** The contact channel that reaches the customer there; null for the web chat page. */
  deliveryChannel: Channel | null;
  locale: AssistantLocale;
  texts: AssistantTexts;
  text: string;
  nlu: NluResult;
  actor: string;
}
