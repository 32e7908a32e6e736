// The household card (扶贫手册 / 明白卡) as plain values: what service/household_card.h gathers
// and io/household_card_pdf.h prints. Codes are already their Chinese names (core/codes.h),
// measures the plan's names, money in fen. Pure values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/household.h"

namespace jz {

struct CardMember {
    std::string name;
    std::string id_number;  // masked when asked
    std::string relation;   // 户主, 之子, ...
    std::string sex;
    std::string birth;      // YYYY-MM-DD, or YYYY when masked
    std::string ethnicity;
    std::string education;
    std::string schooling;
    std::string health;
    std::string labour;
    std::string migrant_work;
};

struct CardPairing {
    std::string cadre;
    std::string unit;
    std::string phone;  // masked when asked
    Date from;
    std::optional<Date> to;  // nullopt: current (as of the card's day)
    std::string reason;
    std::string end_reason;
};

struct CardAssistance {
    std::string category;  // codes::AssistanceCategory name
    std::string measure;   // the plan's measure name
    std::string kind;      // codes::AssistanceKind name
    Date start_date;
    std::optional<Date> end_date;
    std::optional<Fen> amount;
    std::optional<Fen> periodic_amount;
    std::string period;  // 按月 / 按年
    std::optional<Date> signed_on;
};

struct CardIncome {
    int year = 0;
    int persons = 0;
    std::optional<Fen> wage, production, property, transfer, production_costs;
    std::optional<Fen> net_income;
    std::optional<Fen> per_head;
};

struct CardShare {
    std::string asset_id;
    std::string kind;  // AssetKindNameZh
    int64_t shares = 0;
    int64_t total_shares = 0;
    Fen value_share = 0;  // the household's part of the quantified value
};

struct CardDividend {
    std::string asset_id;
    int year = 0;
    int64_t shares = 0;
    Fen amount = 0;
};

struct CardStep {
    std::string step;  // StepNameZh
    Date date;
    std::string outcome;
};

struct CardCase {
    std::string kind;   // ProcedureKindNameZh
    int year = 0;
    std::string state;  // StateNameZh (as of the card's day: the last step on or before it)
    std::vector<CardStep> steps;
};

struct HouseholdCard {
    std::string household_code;
    std::string county;
    std::string township;
    std::string village;
    std::string village_code;
    std::string head_name;
    std::string head_id_number;  // masked when asked
    std::string phone;           // masked when asked
    std::string attribute;
    std::string identification_standard;
    std::string main_cause;
    std::string other_causes;  // joined with "、"
    int identified_year = 0;
    std::optional<int> planned_exit_year;
    std::string status;
    std::optional<int> exit_year;
    std::optional<Fen> net_income_per_head;
    std::string main_measure;
    std::string aux_measures;  // joined with "、"
    std::string pairing_cadre;  // the current cadre's name (or the registry's name)
    std::vector<CardMember> members;
    std::vector<CardPairing> pairings;  // newest first
    std::vector<CardAssistance> assistance;  // by category, then start date
    std::vector<CardIncome> incomes;  // by year
    std::vector<CardShare> shares;
    std::vector<CardDividend> dividends;
    std::vector<CardCase> cases;  // by year, then opening
    std::vector<std::string> signatures{"填表人", "户主签字"};
    std::string qr_payload;  // <base_url>/households/<code>
    Date as_of;
    bool masked = false;
    // The record was corrected after as_of: the card shows the corrected values (printed as a note).
    bool corrected_after = false;
};

}  // namespace jz
