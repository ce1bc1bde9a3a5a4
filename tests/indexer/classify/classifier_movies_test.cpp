// Movies: scene, p2p and plain names, asserted field by field.
#include <gtest/gtest.h>

#include "tests/indexer/classify/case_table.hpp"

namespace magnetar::indexer::classify::testing {
namespace {

constexpr auto kMovie = ContentType::kVideoMovie;

const std::vector<Case> kSceneMovies = {
    {.name = "The.Matrix.1999.1080p.BluRay.x264-GROUP", .type = kMovie, .title = "The Matrix", .year = 1999, .season = kNone, .episode = kNone, .resolution = "1080p", .source = "BluRay", .codec = "H.264", .group = "GROUP"},
    {.name = "Inception.2010.720p.BluRay.x264-REWARD", .type = kMovie, .title = "Inception", .year = 2010, .resolution = "720p", .source = "BluRay", .codec = "H.264", .group = "REWARD"},
    {.name = "Blade.Runner.2049.2017.1080p.BluRay.x264-SPARKS", .type = kMovie, .title = "Blade Runner 2049", .year = 2017, .resolution = "1080p", .source = "BluRay", .codec = "H.264", .group = "SPARKS"},
    {.name = "2001.A.Space.Odyssey.1968.1080p.BluRay.x264-AMIABLE", .type = kMovie, .title = "2001 A Space Odyssey", .year = 1968, .resolution = "1080p", .group = "AMIABLE"},
    {.name = "1917.2019.2160p.UHD.BluRay.x265.10bit.HDR.TrueHD.7.1.Atmos-SWTYBLZ", .type = kMovie, .title = "1917", .year = 2019, .resolution = "2160p", .source = "BluRay", .codec = "H.265", .group = "SWTYBLZ", .audio = "TrueHD,Atmos", .flags = "10bit,hdr"},
    {.name = "Spider-Man.No.Way.Home.2021.2160p.UHD.BluRay.REMUX.HDR.HEVC.Atmos-FGT", .type = kMovie, .title = "Spider-Man No Way Home", .year = 2021, .resolution = "2160p", .source = "BluRay", .codec = "H.265", .group = "FGT", .audio = "Atmos", .flags = "remux,hdr"},
    {.name = "Dune.Part.Two.2024.2160p.WEB-DL.DDP5.1.Atmos.DV.HDR.H.265-FLUX", .type = kMovie, .title = "Dune Part Two", .year = 2024, .resolution = "2160p", .source = "WEB-DL", .codec = "H.265", .group = "FLUX", .audio = "DD+,Atmos", .flags = "dv,hdr"},
    {.name = "Oppenheimer.2023.1080p.BluRay.DDP5.1.x265.10bit-GalaxyRG265", .type = kMovie, .title = "Oppenheimer", .year = 2023, .resolution = "1080p", .source = "BluRay", .codec = "H.265", .group = "GalaxyRG265", .audio = "DD+", .flags = "10bit"},
    {.name = "Johnny.English.2003.1080p.BluRay.x264-GRP", .type = kMovie, .title = "Johnny English", .year = 2003},
    {.name = "The.Italian.Job.2003.720p.BluRay.DTS.x264-ESiR", .type = kMovie, .title = "The Italian Job", .year = 2003, .resolution = "720p", .source = "BluRay", .codec = "H.264", .group = "ESiR", .audio = "DTS", .languages = ""},
    {.name = "The.French.Connection.1971.1080p.BluRay.x264-CiNEFiLE", .type = kMovie, .title = "The French Connection", .year = 1971, .languages = ""},
    {.name = "Le.Fabuleux.Destin.d.Amelie.Poulain.2001.FRENCH.1080p.BluRay.x264-FHD", .type = kMovie, .title = "Le Fabuleux Destin d Amelie Poulain", .year = 2001, .resolution = "1080p", .group = nullptr, .languages = "fr"},
    {.name = "Das.Boot.1981.German.DL.1080p.BluRay.x264-DETAiLS", .type = kMovie, .title = "Das Boot", .year = 1981, .resolution = "1080p", .source = "BluRay", .group = "DETAiLS", .languages = "de,multi"},
    {.name = "La.Vita.E.Bella.1997.iTALiAN.DVDRip.XviD-GRP", .type = kMovie, .title = "La Vita E Bella", .year = 1997, .source = "DVDRip", .codec = "XviD", .group = "GRP", .languages = "it"},
    {.name = "Le.Film.FRENCH.720p.HDTV.x264-GRP", .type = kMovie, .title = "Le Film", .year = kNone, .resolution = "720p", .source = "HDTV", .languages = "fr"},
    {.name = "Avatar.The.Way.of.Water.2022.MULTi.1080p.WEB.H264-FW", .type = kMovie, .title = "Avatar The Way of Water", .year = 2022, .resolution = "1080p", .source = "WEB", .codec = "H.264", .group = "FW", .languages = "multi"},
    {.name = "Aliens.1986.Special.Edition.REMASTERED.1080p.BluRay.x264.DTS-HD.MA.5.1-FGT", .type = kMovie, .title = "Aliens", .year = 1986, .resolution = "1080p", .source = "BluRay", .codec = "H.264", .group = "FGT", .audio = "DTS-HD MA", .flags = "remastered"},
    {.name =
         "The.Lord.of.the.Rings.The.Fellowship.of.the.Ring.2001.EXTENDED.1080p.BluRay.x264-SiNNERS", .type = kMovie, .title = "The Lord of the Rings The Fellowship of the Ring", .year = 2001, .group = "SiNNERS", .flags = "extended"},
    {.name = "Apocalypse.Now.1979.Final.Cut.PROPER.1080p.BluRay.x264-SADPANDA", .type = kMovie, .title = "Apocalypse Now", .year = 1979, .group = "SADPANDA", .flags = "proper"},
    {.name = "Blade.Runner.1982.The.Final.Cut.REPACK.720p.BluRay.x264-AVS720", .type = kMovie, .title = "Blade Runner", .year = 1982, .resolution = "720p", .group = "AVS720", .flags = "repack"},
    {.name = "Avatar.2009.3D.HSBS.1080p.BluRay.x264-YIFY", .type = kMovie, .title = "Avatar", .year = 2009, .resolution = "1080p", .flags = "3d"},
    {.name = "Gravity.2013.3D.1080p.BluRay.Half-SBS.DTS.x264-PublicHD", .type = kMovie, .title = "Gravity", .year = 2013, .group = "PublicHD", .flags = "3d"},
    {.name = "Step.Up.3D.2010.1080p.BluRay.x264-GRP", .type = kMovie, .title = "Step Up 3D", .year = 2010},
    {.name = "Barbie.2023.HC.1080p.WEB-DL.AAC2.0.H.264-APEX", .type = kMovie, .title = "Barbie", .year = 2023, .resolution = "1080p", .source = "WEB-DL", .codec = "H.264", .group = "APEX", .audio = "AAC"},
    {.name = "The.Batman.2022.1080p.HMAX.WEB-DL.DDP5.1.Atmos.H.264-SMURF", .type = kMovie, .title = "The Batman", .year = 2022, .source = "WEB-DL", .group = "SMURF", .audio = "DD+,Atmos"},
    {.name = "Top.Gun.Maverick.2022.IMAX.2160p.WEB-DL.DDP5.1.Atmos.DV.HDR10.H.265-XEBEC", .type = kMovie, .title = "Top Gun Maverick", .year = 2022, .resolution = "2160p", .codec = "H.265", .group = "XEBEC", .flags = "imax,dv,hdr10"},
    {.name = "John.Wick.Chapter.4.2023.1080p.AMZN.WEBRip.DDP5.1.x264-NOGRP", .type = kMovie, .title = "John Wick Chapter 4", .year = 2023, .source = "WEBRip", .group = "NOGRP"},
    {.name = "Killers.of.the.Flower.Moon.2023.HDCAM.x264-AOC", .type = kMovie, .title = "Killers of the Flower Moon", .year = 2023, .source = "CAM", .codec = "H.264", .group = "AOC"},
    {.name = "Fast.X.2023.HDTS.c1nem4.x264-SUNSCREEN", .type = kMovie, .title = "Fast X", .year = 2023, .source = "TS", .codec = "H.264", .group = "SUNSCREEN"},
    {.name = "The.Hateful.Eight.2015.DVDScr.XVID.AC3.HQ.Hive-CM8", .type = kMovie, .title = "The Hateful Eight", .year = 2015, .source = "SCR", .codec = "XviD", .audio = "DD"},
    {.name = "Pulp.Fiction.1994.REMASTERED.1080p.BluRay.x265.10bit-RARBG", .type = kMovie, .title = "Pulp Fiction", .year = 1994, .codec = "H.265", .group = "RARBG", .flags = "remastered,10bit"},
    {.name = "Alien.1979.Directors.Cut.1080p.BluRay.x264-SiNNERS", .type = kMovie, .title = "Alien", .year = 1979, .flags = "directors_cut"},
    {.name = "Heat.1995.UNRATED.BDRip.x264-GRP", .type = kMovie, .title = "Heat", .year = 1995, .source = "BDRip", .flags = "unrated"},
    {.name = "Se7en.1995.REMASTERED.BRRip.XviD.AC3-VLiS", .type = kMovie, .title = "Se7en", .year = 1995, .source = "BRRip", .codec = "XviD", .group = "VLiS", .audio = "DD"},
    {.name = "The.Godfather.1972.720p.BRRip.x264-YIFY", .type = kMovie, .title = "The Godfather", .year = 1972, .source = "BRRip"},
    {.name = "Amelie.2001.DVDRip.XviD.AC3-WAF", .type = kMovie, .title = "Amelie", .year = 2001, .source = "DVDRip", .codec = "XviD", .group = "WAF"},
    {.name = "Casablanca.1942.1080p.BluRay.FLAC.1.0.x264-SbR", .type = kMovie, .title = "Casablanca", .year = 1942, .group = "SbR", .audio = "FLAC"},
    {.name = "Metropolis.1927.Restored.720p.BluRay.x264-CiNEFiLE", .type = kMovie, .title = "Metropolis", .year = 1927, .flags = "remastered"},
    {.name = "Parasite.2019.KOREAN.1080p.BluRay.H264.AAC-VXT", .type = kMovie, .title = "Parasite", .year = 2019, .codec = "H.264", .group = "VXT", .audio = "AAC", .languages = "ko"},
    {.name = "Crouching.Tiger.Hidden.Dragon.2000.CHINESE.1080p.BluRay.x264.DTS-FGT", .type = kMovie, .title = "Crouching Tiger Hidden Dragon", .year = 2000, .audio = "DTS", .languages = "zh"},
    {.name = "RRR.2022.Hindi.1080p.NF.WEB-DL.DDP5.1.x264-KHN", .type = kMovie, .title = "RRR", .year = 2022, .source = "WEB-DL", .group = "KHN", .languages = "hi"},
    {.name = "Amelie.2001.720p.BluRay.x264.VFF.AC3-DUSTiN", .type = kMovie, .title = "Amelie", .year = 2001, .group = "DUSTiN", .audio = "DD", .languages = "fr"},
    {.name = "Avengers.Endgame.2019.1080p.BluRay.REMUX.AVC.DTS-HD.MA.7.1-FGT", .type = kMovie, .title = "Avengers Endgame", .year = 2019, .codec = "H.264", .audio = "DTS-HD MA", .flags = "remux"},
    {.name = "Interstellar.2014.IMAX.2160p.UHD.BluRay.x265.10bit.HDR.DTS-HD.MA.5.1-SWTYBLZ", .type = kMovie, .title = "Interstellar", .year = 2014, .resolution = "2160p", .flags = "imax,10bit,hdr"},
    {.name = "Mad.Max.Fury.Road.2015.1080p.BluRay.x264.TrueHD.7.1.Atmos-FGT", .type = kMovie, .title = "Mad Max Fury Road", .year = 2015, .audio = "TrueHD,Atmos"},
    {.name = "Charlie.and.the.Chocolate.Factory.2005.480p.DVDRip.x264-GRP", .type = kMovie, .title = "Charlie and the Chocolate Factory", .year = 2005, .resolution = "480p", .source = "DVDRip"},
    {.name = "Titanic.1997.576p.DVD.x264-GRP", .type = kMovie, .title = "Titanic", .year = 1997, .resolution = "576p", .source = "DVD"},
    {.name = "Nosferatu.1922.1080p.BluRay.x264.FLAC.2.0-SbR", .type = kMovie, .title = "Nosferatu", .year = 1922},
    {.name = "Everything.Everywhere.All.at.Once.2022.1080p.AMZN.WEB-DL.DDP5.1.H.264-EVO", .type = kMovie, .title = "Everything Everywhere All at Once", .year = 2022, .group = "EVO"},
    {.name = "Ocean's.Eleven.2001.1080p.BluRay.x264-GRP", .type = kMovie, .title = "Ocean's Eleven", .year = 2001},
    {.name = "Mission.Impossible.Dead.Reckoning.Part.One.2023.1080p.WEBRip.x265-RARBG", .type = kMovie, .title = "Mission Impossible Dead Reckoning Part One", .year = 2023, .source = "WEBRip", .codec = "H.265"},
    {.name = "Star.Wars.Episode.IV.A.New.Hope.1977.1080p.BluRay.x264-GRP", .type = kMovie, .title = "Star Wars Episode IV A New Hope", .year = 1977, .episode = kNone},
    {.name = "Kill.Bill.Vol.1.2003.1080p.BluRay.x264-GRP", .type = kMovie, .title = "Kill Bill Vol 1", .year = 2003},
    {.name = "The.Room.2003.AV1.1080p.WEB-DL.Opus-GRP", .type = kMovie, .title = "The Room", .year = 2003, .codec = "AV1", .audio = "Opus"},
    {.name = "Tenet.2020.1920x1080.BluRay.x264-GRP", .type = kMovie, .title = "Tenet", .year = 2020, .resolution = "1080p"},
    {.name = "Sex.Tape.2014.1080p.BluRay.x264-GRP", .type = kMovie, .title = "Sex Tape", .year = 2014},
    {.name = "xXx.2002.1080p.BluRay.x264-GRP", .type = kMovie, .title = "xXx", .year = 2002},
    {.name = "Hardcore.Henry.2015.1080p.BluRay.x264-DRONES", .type = kMovie, .title = "Hardcore Henry", .year = 2015},
    {.name = "The.Naked.Gun.1988.1080p.BluRay.x264-GRP", .type = kMovie, .title = "The Naked Gun", .year = 1988},
    {.name = "Charlottes.Web.2006.1080p.BluRay.x264-GRP", .type = kMovie, .title = "Charlottes Web", .year = 2006},
    {.name = "The.Switch.2010.720p.BluRay.x264-GRP", .type = kMovie, .title = "The Switch", .year = 2010},
    {.name = "La.Dolce.Vita.1960.1080p.BluRay.x264-GRP", .type = kMovie, .title = "La Dolce Vita", .year = 1960},
    {.name = "The.Silence.of.the.Lambs.1991.1080p.BluRay.x264-GRP", .type = kMovie, .title = "The Silence of the Lambs", .year = 1991},
    {.name = "The.Prophet.2014.1080p.WEB-DL.x264-GRP", .type = kMovie, .title = "The Prophet", .year = 2014},
    {.name = "Venom.Let.There.Be.Carnage.2021.1080p.WEBRip.x264-RARBG", .type = kMovie, .title = "Venom Let There Be Carnage", .year = 2021},
    {.name = "Red.2010.1080p.BluRay.x264-GRP", .type = kMovie, .title = "Red", .year = 2010},
    {.name = "It.2017.1080p.BluRay.x264-SPARKS", .type = kMovie, .title = "It", .year = 2017},
    {.name = "Game.Night.2018.1080p.WEB-DL.DD5.1.H264-FGT", .type = kMovie, .title = "Game Night", .year = 2018},
    {.name = "The.Hunger.Games.2012.1080p.BluRay.x264-GRP", .type = kMovie, .title = "The Hunger Games", .year = 2012},
    {.name = "Mac.and.Me.1988.1080p.BluRay.x264-GRP", .type = kMovie, .title = "Mac and Me", .year = 1988},
    {.name = "Ready.Player.One.2018.1080p.BluRay.x264-SPARKS", .type = kMovie, .title = "Ready Player One", .year = 2018},
    {.name = "Windows.2019.1080p.WEB-DL.x264-GRP", .type = kMovie, .title = "Windows", .year = 2019, .bitrate = "", .platform = "", .version = ""},
};

const std::vector<Case> kP2pMovies = {
    {.name = "The Matrix (1999) [1080p] [YTS.MX]", .type = kMovie, .title = "The Matrix", .year = 1999, .resolution = "1080p", .group = "YTS.MX"},
    {.name = "Inception (2010) [720p] [BluRay] [YTS.MX]", .type = kMovie, .title = "Inception", .year = 2010, .resolution = "720p", .source = "BluRay", .group = "YTS.MX"},
    {.name = "Everything Everywhere All at Once (2022) [2160p] [4K] [WEB] [5.1] [YTS.MX]", .type = kMovie, .title = "Everything Everywhere All at Once", .year = 2022, .resolution = "2160p", .source = "WEB"},
    {.name = "Oppenheimer (2023) 1080p BluRay 10bit HEVC DTS-HD MA 5.1 - QxR", .type = kMovie, .title = "Oppenheimer", .year = 2023, .resolution = "1080p", .source = "BluRay", .codec = "H.265", .group = "QxR", .audio = "DTS-HD MA", .flags = "10bit"},
    {.name = "Dune (2021) (1080p BluRay x265 HEVC 10bit AAC 7.1 Tigole)", .type = kMovie, .title = "Dune", .year = 2021, .resolution = "1080p", .codec = "H.265", .group = "Tigole"},
    {.name = "The Shawshank Redemption (1994) 1080p BrRip x264 - YIFY", .type = kMovie, .title = "The Shawshank Redemption", .year = 1994, .source = "BRRip", .group = "YIFY"},
    {.name = "Interstellar (2014) [1080p] [BluRay] [5.1] [YTS.AM]", .type = kMovie, .title = "Interstellar", .year = 2014, .group = "YTS.AM"},
    {.name = "Joker (2019) [BluRay] [1080p] [YTS.LT]", .type = kMovie, .title = "Joker", .year = 2019, .group = "YTS.LT"},
    {.name = "Gladiator 2000 Extended Remastered 1080p BluRay HEVC x265 5.1 BONE", .type = kMovie, .title = "Gladiator", .year = 2000, .codec = "H.265", .flags = "extended,remastered"},
    {.name = "Spirited Away (2001) [1080p x265 10bit FLAC Dual Audio]", .type = kMovie, .title = "Spirited Away", .year = 2001, .codec = "H.265", .languages = "multi"},
    {.name = "The Godfather Part II (1974) 1080p BluRay x264 - PSA", .type = kMovie, .title = "The Godfather Part II", .year = 1974, .group = "PSA"},
    {.name = "Amélie (2001) [1080p]", .type = kMovie, .title = "Amélie", .year = 2001},
    {.name = "Léon The Professional (1994) Extended 1080p BluRay", .type = kMovie, .title = "Léon The Professional", .year = 1994, .flags = "extended"},
    {.name = "Fight Club 1999 1080p BluRay x264 DTS-FGT", .type = kMovie, .title = "Fight Club", .year = 1999, .group = "FGT"},
    {.name = "Pulp Fiction [1994] 720p BRRip x264", .type = kMovie, .title = "Pulp Fiction", .year = 1994},
    {.name = "Jurassic Park {1993} 1080p", .type = kMovie, .title = "Jurassic Park", .year = 1993},
    {.name = "Coco 2017 [Hindi-English] 720p BluRay", .type = kMovie, .title = "Coco", .year = 2017},
    {.name = "KGF Chapter 2 (2022) Tamil HQ HDRip - 720p - x264 - AAC - 1.4GB", .type = kMovie, .title = "KGF Chapter 2", .year = 2022, .source = "HDRip", .languages = "ta"},
    {.name = "www.TamilBlasters.xyz - Vikram (2022) Tamil TRUE WEB-DL - 1080p - AVC - (DD+5.1 - "
             "640Kbps) - 3.2GB", .type = kMovie, .title = "Vikram", .year = 2022, .source = "WEB-DL", .codec = "H.264"},
    {.name = "[ www.Torrenting.com ] - The Shining 1980 1080p", .type = kMovie, .title = "The Shining", .year = 1980},
    {.name = "Twin Peaks Fire Walk with Me (1992)", .type = kMovie, .title = "Twin Peaks Fire Walk with Me", .year = 1992, .files = {{"Twin Peaks Fire Walk with Me (1992).mkv", 8000000000}}},
    {.name = "Rear Window 1954", .type = kMovie, .title = "Rear Window", .year = 1954, .files = {{"Rear Window 1954.avi", 1400000000}, {"Rear Window 1954.srt", 90000}}},
    {.name = "The Terminator 1984.mkv", .type = kMovie, .title = "The Terminator", .year = 1984},
    {.name = "Heat.1995.avi", .type = kMovie, .title = "Heat", .year = 1995},
    {.name = "Nomadland (2020)", .type = kMovie, .title = "Nomadland", .year = 2020, .files = {{"Nomadland (2020)/Nomadland.2020.1080p.WEBRip.x264.mp4", 2000000000},
               {"Nomadland (2020)/Subs/English.srt", 100000},
               {"Nomadland (2020)/www.YTS.MX.jpg", 50000}}},
    {.name = "Movie.2019.1080p.BluRay.x264-GRP", .type = kMovie, .title = "Movie", .year = 2019, .files = {{"movie.2019.1080p.bluray.x264-grp.rar", 50000000},
               {"movie.2019.1080p.bluray.x264-grp.r00", 50000000},
               {"movie.2019.1080p.bluray.x264-grp.r01", 50000000},
               {"movie.2019.1080p.bluray.x264-grp.nfo", 2000},
               {"movie.2019.1080p.bluray.x264-grp.sfv", 300}}},
    {.name = "Home Video 2004", .type = kMovie, .title = "Home Video", .year = 2004, .files = {{"Home Video 2004/VIDEO_TS/VTS_01_1.VOB", 1000000000},
               {"Home Video 2004/VIDEO_TS/VTS_01_0.IFO", 20000}}},
    {.name = "BDMV Disc Of A Film 2008 COMPLETE BLURAY-GRP", .type = kMovie, .title = "BDMV Disc Of A Film", .year = 2008, .files = {{"BDMV/STREAM/00000.m2ts", 30000000000}, {"BDMV/index.bdmv", 300}}},
};

TEST(ClassifierMovies, SceneNamesParseFieldByField) {
  for (const Case& c : kSceneMovies) check_case(c);
}

TEST(ClassifierMovies, P2pAndPlainNamesParseFieldByField) {
  for (const Case& c : kP2pMovies) check_case(c);
}

}  // namespace
}  // namespace magnetar::indexer::classify::testing
