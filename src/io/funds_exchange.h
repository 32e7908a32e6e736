// The funds ledger's exchange file (资金台账, issue 16): one row per entry — 日期, 类型 (entry kind:
// receive/budget/disburse/retain_deposit/release_deposit/interest/transfer/reversal, or its Chinese
// name), 拨付编号, 项目编号, 收款人编号, 转入拨付编号, 金额(元), 阶段, 凭证号, 决策文号, 冲销分录 — read
// from CSV (UTF-8 or GB18030) or .xlsx and written in the same layout (docs/import-format.md, "The
// funds ledger's layout"). An export also carries 分录编号 first (ignored on import).
//
// Reading checks each row on its own (a date, a known kind, an amount in yuan with at most two
// decimals, whole-number references) and collects every problem with its row and field; the caller
// posts the batch only when there is none (all or nothing), else writes the problems to an error
// file (WriteFundRowErrors) and posts nothing.
//
// Contract: stateless functions; nothing here touches the store.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "core/funds.h"
#include "core/project_library.h"
#include "io/assistance_exchange.h"

namespace jz::io {

struct FundRows {
    std::vector<FundEntry> entries;  // in file order
    std::vector<int64_t> rows;       // each entry's row number as a user sees it (header = 1)
    std::vector<Error> errors;       // every rejected cell (row set, field the column's English name)
};

// Reads the file. Errors (the file is unusable): file.open, the csv/xlsx format errors,
// import.missing_columns (日期, 类型 and 金额 are required), import.empty.
Result<FundRows> ReadFundEntries(const std::string& path);

// Writes `entries` (from/to accounts are not written) with their ids; returns how many.
Result<int64_t> WriteFundEntries(const std::vector<FundEntry>& entries, const std::string& path, LedgerFormat format);

// The rejected rows as CSV (行号, 字段, 原因) at `path`.
Result<void> WriteFundRowErrors(const std::vector<Error>& errors, const std::string& path);

// Allocations (资金拨付): 拨付编号 (optional: the next one), 资金来源 (code or name), 文号, 年度, 金额(元),
// 用途 (use codes separated by , 、 or ;; empty: any use). Required: 资金来源, 文号, 年度, 金额(元).
struct AllocationRows {
    std::vector<Allocation> allocations;  // source as written (code or name: the caller resolves it)
    std::vector<int64_t> rows;
    std::vector<Error> errors;
};
Result<AllocationRows> ReadAllocations(const std::string& path);
Result<int64_t> WriteAllocations(const std::vector<Allocation>& allocations, const std::string& path, LedgerFormat format);

// Projects (项目库), written for reading and filing: 项目编号, 项目代码, 项目名称, 实施地点, 状态,
// 建设任务, 补助标准, 资金用途, 资金来源 ("code:amount; ..."), 批复金额(元), 重新批复金额(元), 开始日期,
// 结束日期, 实施单位, 责任人, 绩效目标, 受益户 ("household:how; ...").
Result<int64_t> WriteProjects(const std::vector<LibraryProject>& projects, const std::string& path, LedgerFormat format);

// The Chinese name of an entry kind (收款, 安排预算, 支付, 预留质保金, 退还质保金, 利息, 调剂, 冲销).
std::string_view FundEntryKindZh(FundEntryKind kind);

}  // namespace jz::io
