/**
 * What the assistant says, in each language it speaks. Statements about consequences are truthful
 * and neutral (COMPLIANCE.md): "may be reported", never a threat or an exaggeration.
 */
export type AssistantLocale = 'en' | 'zh-CN';

export function localeOf(value: string | null | undefined): AssistantLocale {
  return value === 'zh-CN' ? 'zh-CN' : 'en';
}

const EN = {
  verifyPrompt: 'To protect your account, please confirm who you are: reply with the last 4 digits of your ID number and your date of birth (e.g. 1234 1990-05-17), or open the secure link from your reminder.',
  verifyFailed: 'Those details do not match our records. Please try again: the last 4 digits of your ID number and your date of birth (YYYY-MM-DD).',
  verifyLocked: 'Too many attempts. For your security we cannot continue here; please open the secure link from your reminder or contact us by phone.',
  verified: 'Thank you, you are verified. How can I help? You can ask for your balance, instalment options or a payment link.',
  unknownSender: 'We could not match this address to an account. To protect privacy we cannot discuss any account here; please use the secure link from your reminder.',
  greeting: 'Hello! I can show your balance, compare instalment plans, send a payment link or note a promise to pay.',
  thanks: 'You are welcome.',
  goodbye: 'Goodbye, and thank you.',
  nothingOwed: 'You have nothing outstanding with us. Thank you!',
  balanceTitle: 'Your balance',
  balanceLine: (amount: string, due: string, late: boolean) => `${amount} ${late ? 'was due' : 'is due'} on ${due}`,
  balanceTotal: (total: string) => `Total outstanding: ${total}.`,
  payLinkText: (total: string) => `You can pay ${total} securely here:`,
  payLinkLabel: 'Pay now',
  plansIntro: (total: string) => `Instalment options for ${total} (interest and fee included):`,
  planLine: (n: number, instalment: string, fee: string, cost: string, apr: string) => `${n} months: ${instalment}/month, fee ${fee}, total cost ${cost}, APR ${apr}%`,
  planChoose: 'Reply 3, 6 or 12 to choose a plan, and an agent will set it up with you.',
  planChosen: (n: number) => `Thank you. I have passed your choice of ${n} monthly instalments to an agent, who will confirm the plan with you.`,
  earlyQuote: (total: string, date: string) => `To repay everything early you would pay ${total} today (quote valid until ${date}). There is no charge for repaying early.`,
  earlyNotYetDue: (amount: string) => `This includes ${amount} that is not due yet.`,
  askPromiseDate: 'When will you be able to pay? Please give a date within the next 30 days.',
  promiseRecorded: (amount: string, date: string) => `Thank you. I have noted your promise to pay ${amount} by ${date}. We will not send reminders before then.`,
  promiseBadDate: (max: number) => `Please give a date between tomorrow and ${max} days from today.`,
  graceOffer: (days: number) => `I can give you up to ${days} extra days. By which date can you pay?`,
  graceGranted: (date: string) => `Done: your payment date is moved to ${date}. We will not send reminders before then.`,
  graceUnavailable: 'I cannot move the payment date any further myself.',
  askPaymentReference: 'Thank you. What is the reference of your payment (from your bank or payment receipt)?',
  alreadyPaidNoted: (until: string) => `Thank you. We are checking your payment and will not send reminders before ${until}.`,
  disputeOpened: 'I have recorded your dispute and paused reminders about it. An agent will review it and contact you.',
  unsubscribed: 'You will receive no more reminders on this channel.',
  fees: (apr: string, fee: string) => `The balance shown is what you owe today; this service adds no charges of its own. If you choose an instalment plan, it costs a one-off fee of ${fee}% of the balance and interest at ${apr}% a year; each option shows its total cost. For fees under your original agreement, ask for an agent.`,
  creditImpact: 'Late payment may be reported to credit bureaus under your agreement and the law. Paying, or agreeing a plan, before then helps avoid that. I can show your options.',
  handoff: 'I am passing you to a member of our team, who will reply here as soon as possible.',
  notUnderstood: 'Sorry, I did not understand. You can ask about your balance, instalments, a payment link, or talk to an agent.',
  unreadable: 'I could not read that message. Please write in words, for example "what do I owe?".',
  menu: { balance: 'Balance', plans: 'Instalments', payLink: 'Pay link', agent: 'Talk to an agent' },
};

const ZH: typeof EN = {
  verifyPrompt: '为保护您的账户安全，请先确认身份：回复身份证号后4位和出生日期（例如 1234 1990-05-17），或打开提醒消息中的安全链接。',
  verifyFailed: '信息与我们的记录不符。请重新输入身份证号后4位和出生日期（年-月-日）。',
  verifyLocked: '尝试次数过多。为保障您的安全，无法在此继续，请打开提醒消息中的安全链接或致电我们。',
  verified: '身份已确认，谢谢。请问有什么可以帮您？您可以查询欠款、分期方案或获取还款链接。',
  unknownSender: '未能匹配到您的账户。为保护隐私，我们无法在此讨论任何账户信息，请使用提醒消息中的安全链接。',
  greeting: '您好！我可以为您查询欠款、比较分期方案、发送还款链接或登记还款承诺。',
  thanks: '不客气。',
  goodbye: '再见，感谢您的配合。',
  nothingOwed: '您目前没有待还款项，谢谢！',
  balanceTitle: '您的欠款',
  balanceLine: (amount, due, late) => `${amount}，${late ? '已于' : '将于'}${due}到期`,
  balanceTotal: (total) => `待还总额：${total}。`,
  payLinkText: (total) => `您可以通过以下安全链接还款 ${total}：`,
  payLinkLabel: '立即还款',
  plansIntro: (total) => `${total} 的分期方案（已含利息和手续费）：`,
  planLine: (n, instalment, fee, cost, apr) => `${n}期：每月${instalment}，手续费${fee}，总成本${cost}，年化利率${apr}%`,
  planChoose: '回复 3、6 或 12 选择方案，客服将与您确认办理。',
  planChosen: (n) => `谢谢。已将您选择的${n}期分期转给客服，客服将与您确认方案。`,
  earlyQuote: (total, date) => `如需提前全部结清，今天需还款 ${total}（报价有效期至${date}）。提前还款不收取额外费用。`,
  earlyNotYetDue: (amount) => `其中 ${amount} 尚未到期。`,
  askPromiseDate: '请问您预计哪天可以还款？请提供30天内的日期。',
  promiseRecorded: (amount, date) => `谢谢。已登记您承诺于${date}前还款 ${amount}，在此之前我们不会发送提醒。`,
  promiseBadDate: (max) => `请提供明天起${max}天内的日期。`,
  graceOffer: (days) => `我可以为您延期最多${days}天。请问您哪天可以还款？`,
  graceGranted: (date) => `已为您将还款日延至${date}，在此之前我们不会发送提醒。`,
  graceUnavailable: '我无法自行为您再延期。',
  askPaymentReference: '谢谢。请提供您的还款流水号（银行或支付凭证上的编号）。',
  alreadyPaidNoted: (until) => `谢谢。我们正在核实您的还款，${until}前不会发送提醒。`,
  disputeOpened: '已记录您的异议并暂停相关提醒，客服将核查后与您联系。',
  unsubscribed: '您将不再通过此渠道收到提醒。',
  fees: (apr, fee) => `所示金额为您今天的应还金额，本服务不额外收费。如选择分期，需一次性支付欠款的${fee}%作为手续费，年利率${apr}%，每个方案都列明总成本。关于原合同中的费用，请联系人工客服。`,
  creditImpact: '根据合同和法律规定，逾期可能影响您的信用记录。在此之前还款或办理分期有助于避免这种情况，我可以为您展示方案。',
  handoff: '正在为您转接人工客服，客服会尽快在此回复您。',
  notUnderstood: '抱歉，我没有理解。您可以查询欠款、分期、还款链接，或转人工客服。',
  unreadable: '无法识别这条消息，请用文字描述，例如“我欠多少钱？”。',
  menu: { balance: '查询欠款', plans: '分期方案', payLink: '还款链接', agent: '人工客服' },
};

export type AssistantTexts = typeof EN;

export function textsFor(locale: AssistantLocale): AssistantTexts {
  return locale === 'zh-CN' ? ZH : EN;
}
