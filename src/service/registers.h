// The village register (村有册) and the township book (乡有簿) as a Document (core/document.h),
// rendered by io/document_pdf.h (landscape) and io/document_xlsx.h.
//
// Sections (ids stable): roster (贫困户花名册: code, head, members, attribute, main cause, main
// measure, auxiliary measures, pairing cadre, status, planned exit year, exit year; the township
// book grouped by village with a subtotal row each, both with a total row), members (家庭成员:
// household code, name, relation, sex, birth, health, schooling, labour), summary (分村汇总:
// households, persons, exited, not exited, by attribute, a total row and a bar chart) and changes
// (年度动态变化: the year's effective procedure cases — registered, exited, done — with the date of
// their last step, on or before as_of).
//
// Households are read through LoadHouseholdsForRegister (the registry as it stands now until
// service/as_of.h lands). Masking (`mask`): birth dates as the year only, ID numbers typed into
// reasons as MaskIdNumbersInText; no ID number or phone is printed in a register.
#pragma once

#include <string>

#include "core/date.h"
#include "core/document.h"
#include "core/error.h"
#include "core/org_unit.h"
#include "core/plan.h"
#include "store/store.h"

namespace jz::service {

struct RegisterOptions {
    Date as_of;
    int year = 0;  // the changes' year; 0: as_of's year
    bool mask = false;
};

// A village (12 digits) → its register (kind "village_register"); a township (9 digits) → its book
// (kind "township_book"). "register.unknown_unit" when the code is neither a village nor a
// township of the tree.
Result<Document> BuildRegister(Store& store, const Plan& plan, const OrgTree& tree, const std::string& unit_code,
                               const RegisterOptions& options);

}  // namespace jz::service
