import type { TextFeatures } from './text-features.js';

/** A sparse row: feature indices (ascending is not required) and their weights. */
export interface SparseVector {
  indices: Int32Array;
  values: Float64Array;
}

export interface TfidfOptions {
  /** Weight of the word block against the character block once each is L2-normalised. */
  wordWeight: number;
  charWeight: number;
  /** Features seen in fewer training texts than this are dropped (noise, typos met once). */
  minDf: number;
}

export const DEFAULT_TFIDF_OPTIONS: TfidfOptions = { wordWeight: 1, charWeight: 1, minDf: 1 };

/**
 * TF-IDF over two blocks (words, characters), each with sublinear term frequency (1 + ln tf),
 * smoothed idf, and L2 normalisation, so that a long message does not outweigh a short one.
 */
export class TfidfVectorizer {
  readonly vocabulary = new Map<string, number>();
  #idf: Float64Array = new Float64Array(0);
  #isWord: Uint8Array = new Uint8Array(0);

  constructor(readonly options: TfidfOptions = DEFAULT_TFIDF_OPTIONS) {}

  get dimension(): number {
    return this.vocabulary.size;
  }

  fit(documents: readonly TextFeatures[]): this {
    const df = new Map<string, number>();
    for (const doc of documents) {
      for (const key of new Set([...doc.words.map((w) => `w${w}`), ...doc.chars.map((c) => `c${c}`)])) df.set(key, (df.get(key) ?? 0) + 1);
    }
    const idf: number[] = [];
    const isWord: number[] = [];
    const n = documents.length;
    for (const [key, count] of df) {
      if (count < this.options.minDf) continue;
      this.vocabulary.set(key, idf.length);
      idf.push(Math.log((1 + n) / (1 + count)) + 1);
      isWord.push(key.startsWith('w') ? 1 : 0);
    }
    this.#idf = Float64Array.from(idf);
    this.#isWord = Uint8Array.from(isWord);
    return this;
  }

  transform(doc: TextFeatures): SparseVector {
    const counts = new Map<number, number>();
    for (const w of doc.words) this.#count(`w${w}`, counts);
    for (const c of doc.chars) this.#count(`c${c}`, counts);
    const indices = new Int32Array(counts.size);
    const values = new Float64Array(counts.size);
    let wordNorm = 0;
    let charNorm = 0;
    let i = 0;
    for (const [index, tf] of counts) {
      const value = (1 + Math.log(tf)) * this.#idf[index]!;
      indices[i] = index;
      values[i] = value;
      if (this.#isWord[index]) wordNorm += value * value;
      else charNorm += value * value;
      i++;
    }
    const wordScale = wordNorm > 0 ? this.options.wordWeight / Math.sqrt(wordNorm) : 0;
    const charScale = charNorm > 0 ? this.options.charWeight / Math.sqrt(charNorm) : 0;
    for (let j = 0; j < values.length; j++) values[j]! *= this.#isWord[indices[j]!] ? wordScale : charScale;
    return { indices, values };
  }

  #count(key: string, counts: Map<number, number>): void {
    const index = this.vocabulary.get(key);
    if (index !== undefined) counts.set(index, (counts.get(index) ?? 0) + 1);
  }
}
