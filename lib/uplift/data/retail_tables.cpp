#include "uplift/data/retail_tables.hpp"

namespace uplift::data {

std::string sql_type(RetailCheck check) {
    switch (check) {
    case RetailCheck::Id:
    case RetailCheck::Text:
    case RetailCheck::Gender: return "VARCHAR";
    case RetailCheck::Timestamp:
    case RetailCheck::OptionalTimestamp: return "TIMESTAMP";
    case RetailCheck::Number:
    case RetailCheck::NonNegative:
    case RetailCheck::OptionalNumber: return "DOUBLE";
    case RetailCheck::OptionalInteger:
    case RetailCheck::Flag: return "BIGINT";
    }
    return "VARCHAR";
}

const RetailTable& clients_table() {
    static const RetailTable t{"clients",
                               {{"client_id", RetailCheck::Id},
                                {"first_issue_date", RetailCheck::Timestamp},
                                {"first_redeem_date", RetailCheck::OptionalTimestamp},
                                {"age", RetailCheck::OptionalInteger},
                                {"gender", RetailCheck::Gender}},
                               "client_id",
                               false, "", "", ""};
    return t;
}

const RetailTable& products_table() {
    static const RetailTable t{"products",
                               {{"product_id", RetailCheck::Id},
                                {"level_1", RetailCheck::Text},
                                {"level_2", RetailCheck::Text},
                                {"level_3", RetailCheck::Text},
                                {"level_4", RetailCheck::Text},
                                {"segment_id", RetailCheck::Text},
                                {"brand_id", RetailCheck::Text},
                                {"vendor_id", RetailCheck::Text},
                                {"netto", RetailCheck::OptionalNumber},
                                {"is_own_trademark", RetailCheck::Flag},
                                {"is_alcohol", RetailCheck::Flag}},
                               "product_id",
                               false, "", "", ""};
    return t;
}

const RetailTable& purchases_table() {
    // Points spent are <= 0 by the X5 convention, so only the sums are checked for sign.
    static const RetailTable t{"purchases",
                               {{"client_id", RetailCheck::Id},
                                {"transaction_id", RetailCheck::Id},
                                {"transaction_datetime", RetailCheck::Timestamp},
                                {"regular_points_received", RetailCheck::Number},
                                {"express_points_received", RetailCheck::Number},
                                {"regular_points_spent", RetailCheck::Number},
                                {"express_points_spent", RetailCheck::Number},
                                {"purchase_sum", RetailCheck::NonNegative},
                                {"store_id", RetailCheck::Id},
                                {"product_id", RetailCheck::Id},
                                {"product_quantity", RetailCheck::Number},
                                {"trn_sum_from_iss", RetailCheck::NonNegative},
                                {"trn_sum_from_red", RetailCheck::OptionalNumber}},
                               "",
                               true,
                               "transaction_id",
                               "transaction_datetime",
                               ""};
    return t;
}

const RetailTable& campaign_table() {
    static const RetailTable t{"campaign",
                               {{"client_id", RetailCheck::Id},
                                {"treatment_flg", RetailCheck::Flag},
                                {"target", RetailCheck::Flag}},
                               "client_id",
                               true, "", "", "treatment_flg"};
    return t;
}

const RetailTable& campaign_clients_table() {
    static const RetailTable t{"campaign", {{"client_id", RetailCheck::Id}}, "client_id", true, "", ""};
    return t;
}

}  // namespace uplift::data
