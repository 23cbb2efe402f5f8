/**
 * Word lists for sentiment, written for what debtors say to a collector (and general enough for
 * reviews: measured on ChnSentiCorp, see bench/results/nlu-corpus.json). Weights: 1 mild, 2 strong.
 */

export const ZH_POSITIVE: Record<string, number> = {
  谢谢: 1, 感谢: 2, 多谢: 1, 好的: 0.5, 不错: 1, 满意: 2, 方便: 1, 很好: 1.5, 挺好: 1, 非常好: 2, 太好了: 2, 棒: 1.5, 赞: 1.5,
  理解: 1, 耐心: 1, 帮忙: 1, 帮助: 1, 辛苦: 1, 贴心: 2, 专业: 1, 及时: 1, 高兴: 1.5, 开心: 1.5, 喜欢: 1.5, 舒服: 1, 舒适: 1,
  干净: 1, 热情: 1.5, 周到: 1.5, 优惠: 1, 合理: 1, 清楚: 0.5, 放心: 1, 值得: 1, 推荐: 1, 完美: 2, 好评: 2, 安静: 1, 宽敞: 1,
  实惠: 1, 划算: 1, 友好: 1, 优秀: 1.5, 感激: 2, 靠谱: 1.5, 顺利: 1, 没问题: 1, 可以: 0.3, 好: 0.5,
};

export const ZH_NEGATIVE: Record<string, number> = {
  不满: 2, 失望: 2, 差: 1.5, 太差: 2, 很差: 2, 麻烦: 1, 烦: 1.5, 烦人: 2, 讨厌: 2, 生气: 2, 难过: 1.5, 担心: 1, 焦虑: 1.5, 压力: 1,
  困难: 1, 没钱: 1, 难: 0.5, 问题: 0.5, 错误: 1, 不对: 1, 乱: 1, 脏: 1.5, 旧: 1, 吵: 1.5, 慢: 1, 贵: 1, 坑: 2, 骗: 2, 骗子: 2.5,
  不合理: 1.5, 不公平: 2, 无法: 0.5, 糟糕: 2, 垃圾: 2.5, 恶心: 2.5, 离谱: 2, 过分: 2, 无语: 1.5, 郁闷: 1.5, 后悔: 1.5, 投诉: 1.5,
  欺负: 2, 威胁: 2, 骚扰: 2, 催: 0.5, 一直打: 1.5, 破旧: 1.5, 简陋: 1, 异味: 1.5, 霉味: 1.5, 不好: 1.5, 不行: 1, 失败: 1, 抱怨: 1.5,
  痛苦: 2, 崩溃: 2, 无奈: 1, 可怜: 1, 不爽: 1.5, 不舒服: 1.5, 不方便: 1, 不值: 1.5, 不推荐: 2, 差劲: 2, 遗憾: 1, 不干净: 1.5,
};

/** Anger: insults, threats to escalate, abuse. Each also counts as negative. */
export const ZH_ANGER: Record<string, number> = {
  滚: 2.5, 他妈: 3, 妈的: 3, 操: 2.5, 靠: 1, 傻逼: 3, 傻b: 3, sb: 2, 混蛋: 3, 王八蛋: 3, 去死: 3, 垃圾公司: 3, 骗子公司: 3, 流氓: 3,
  气死: 2.5, 受够了: 2.5, 忍无可忍: 3, 报警: 2, 起诉: 2, 律师: 1.5, 曝光: 2, 12315: 2, 银保监: 2, 监管: 1.5, 举报: 2, 投诉你们: 2.5,
  别再打: 2, 不要再打: 2, 再打: 1.5, 烦死: 2.5, 恶心: 1.5, 无耻: 3, 缺德: 3, 吸血: 3, 黑心: 3, 高利贷: 2, 暴力催收: 3, 威胁我: 2.5,
  什么玩意: 2.5, 有病: 2.5, 神经病: 3, 你们这些: 1.5, 凭什么: 1.5, 欺人太甚: 3, 怒: 2, 火大: 2.5,
};

// Not 非: it starts 非常 ("very"), which intensifies.
export const ZH_NEGATORS = ['不', '没', '没有', '别', '无', '未', '不是', '不太', '不怎么'];
export const ZH_INTENSIFIERS: Record<string, number> = { 非常: 1.5, 很: 1.3, 太: 1.5, 特别: 1.5, 超级: 1.6, 极其: 1.8, 真: 1.3, 十分: 1.5, 相当: 1.3, 最: 1.5 };

export const EN_POSITIVE: Record<string, number> = {
  thanks: 1, thank: 1, thx: 1, ty: 0.5, appreciate: 2, appreciated: 2, great: 1.5, good: 1, nice: 1, helpful: 1.5, perfect: 2, awesome: 2,
  excellent: 2, happy: 1.5, glad: 1.5, pleased: 1.5, love: 1.5, kind: 1, understanding: 1, fair: 1, clear: 0.5, easy: 1, fine: 0.5,
  ok: 0.3, okay: 0.3, wonderful: 2, fantastic: 2, amazing: 2, brilliant: 2, cheers: 1, grateful: 2, patient: 1, reasonable: 1, smooth: 1,
};

export const EN_NEGATIVE: Record<string, number> = {
  bad: 1.5, terrible: 2, awful: 2, horrible: 2, poor: 1.5, worst: 2.5, wrong: 1, unfair: 2, upset: 2, unhappy: 2, disappointed: 2,
  disappointing: 2, annoyed: 2, annoying: 2, frustrated: 2, frustrating: 2, worried: 1, stressed: 1.5, struggling: 1, problem: 0.5,
  issue: 0.5, mistake: 1, error: 1, confusing: 1, confused: 1, harass: 2, harassing: 2.5, harassment: 2.5, threatening: 2, scam: 2.5,
  rude: 2, useless: 2, ridiculous: 2, unacceptable: 2.5, complaint: 1.5, complain: 1.5, sad: 1.5, sucks: 2, hate: 2.5, broke: 1, cant: 0.3,
  nightmare: 2, disgusting: 2.5, incompetent: 2.5, outrageous: 2.5, overcharged: 2, robbery: 2.5, stop: 0.5, never: 0.5, pathetic: 2.5,
};

export const EN_ANGER: Record<string, number> = {
  furious: 3, angry: 2.5, pissed: 3, livid: 3, outraged: 3, fuck: 3, fucking: 3, shit: 2.5, damn: 1.5, bloody: 1.5, idiot: 3, idiots: 3,
  stupid: 2, crooks: 3, thieves: 3, scammers: 3, bastards: 3, lawyer: 1.5, sue: 2, police: 2, regulator: 1.5, ombudsman: 1.5, report: 0.5,
  'fed up': 2.5, 'sick of': 2.5, 'stop calling': 2.5, 'leave me alone': 2.5, 'back off': 2.5, 'how dare': 3, wtf: 3, 'had enough': 2.5,
  harassing: 1.5, 'last time': 1, disgrace: 2.5, 'shut up': 3, 'screw you': 3,
};

export const EN_NEGATORS = ['not', 'no', "don't", 'dont', "didn't", 'didnt', "isn't", 'isnt', "wasn't", 'never', "won't", 'cannot', "can't", 'hardly'];
export const EN_INTENSIFIERS: Record<string, number> = { very: 1.4, really: 1.3, so: 1.3, extremely: 1.8, totally: 1.5, absolutely: 1.6, super: 1.4, incredibly: 1.7, too: 1.3 };

export const ANGRY_EMOJI = /[😡🤬😠👿💢🖕]/gu;
export const SAD_EMOJI = /[😞😢😭😔☹🙁😩😫]/gu;
export const HAPPY_EMOJI = /[😀😃😄😊🙂😁👍❤🙏😍🥰]/gu;
