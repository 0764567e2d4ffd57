// The knowledge base in the console cache (issue 15): the entries this console may answer from
// (the published ones; for a unit also its own unit's), followed through GET /api/v1/kb/pull with
// their own cursor (meta `kb.cursor`). Searched three ways, as tickets are (text-search.ts):
// - `kb_text`: trigram index over title, question forms, keywords, answer and the title's
//   pinyin — substrings of 3+ characters;
// - `kb_head` / `kb_body`: every character and adjacent pair as a token (hl_grams()), of title,
//   question forms and keywords apart from the answer — 1- and 2-character words, and the pair
//   overlap that finds 公积金提取 from 提取公积金;
// - `kb_py`: the title's pinyin readings (` full initials …`, every reading kept) as words with
//   prefix indexes — gj finds gjjtq; 3+ letters go through kb_text's pinyin column anywhere.
import type Database from 'better-sqlite3'
import type { Migration } from './types'

export const m0004: Migration = {
  version: 4,
  name: 'knowledge',
  kind: 'cache',
  up(db: Database.Database) {
    db.exec(`
      CREATE TABLE kb_entries (
        rid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        status TEXT NOT NULL,
        unit TEXT NOT NULL,
        title TEXT NOT NULL,
        -- Question forms, one a line.
        questions TEXT NOT NULL,
        -- Keywords, space separated.
        keywords TEXT NOT NULL,
        answer TEXT NOT NULL,
        -- '|0608|0802|'
        categories TEXT NOT NULL,
        -- ' gongjijintiqu gjjtq …' (leading space: a word start is ' ' + the letters)
        pinyin TEXT NOT NULL,
        valid_from TEXT,
        valid_until TEXT,
        review_by TEXT,
        version INTEGER NOT NULL,
        data TEXT NOT NULL
      ) STRICT;
      CREATE INDEX kb_entries_status ON kb_entries (status, unit);
      CREATE VIRTUAL TABLE kb_text USING fts5 (
        title, questions, keywords, answer, pinyin,
        content = 'kb_entries', content_rowid = 'rid', tokenize = 'trigram'
      );
      -- Every character and adjacent pair (hl_grams()), as a token: of title, question forms and
      -- keywords (the fields that rank high) apart from the answer's, so a query looks there
      -- first and reads the long answers only when it must.
      CREATE VIRTUAL TABLE kb_head USING fts5 (
        grams, content = '', contentless_delete = 1, detail = none, tokenize = 'ascii'
      );
      CREATE VIRTUAL TABLE kb_body USING fts5 (
        grams, content = '', contentless_delete = 1, detail = none, tokenize = 'ascii'
      );
      -- The title's pinyin readings as words, with prefix indexes: 1–2 letters match a word start.
      CREATE VIRTUAL TABLE kb_py USING fts5 (
        pinyin, content = '', contentless_delete = 1, detail = none, prefix = '1 2'
      );
      CREATE TRIGGER kb_text_ai AFTER INSERT ON kb_entries BEGIN
        INSERT INTO kb_text (rowid, title, questions, keywords, answer, pinyin)
          VALUES (new.rid, new.title, new.questions, new.keywords, new.answer, new.pinyin);
        INSERT INTO kb_head (rowid, grams)
          VALUES (new.rid, hl_grams(new.title, new.questions, new.keywords));
        INSERT INTO kb_body (rowid, grams) VALUES (new.rid, hl_grams(new.answer, NULL, NULL));
        INSERT INTO kb_py (rowid, pinyin) VALUES (new.rid, new.pinyin);
      END;
      CREATE TRIGGER kb_text_ad AFTER DELETE ON kb_entries BEGIN
        INSERT INTO kb_text (kb_text, rowid, title, questions, keywords, answer, pinyin)
          VALUES ('delete', old.rid, old.title, old.questions, old.keywords, old.answer, old.pinyin);
        DELETE FROM kb_head WHERE rowid = old.rid;
        DELETE FROM kb_body WHERE rowid = old.rid;
        DELETE FROM kb_py WHERE rowid = old.rid;
      END;
      -- Usage on this console (issue 15 measures): searches and which entry, if any, was opened
      -- or answered from. Kept apart from the server's rows: a rebuild may drop it.
      CREATE TABLE kb_usage (
        at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        query TEXT,
        entry_id TEXT,
        version INTEGER
      ) STRICT;
      CREATE INDEX kb_usage_at ON kb_usage (at);
    `)
  },
}
